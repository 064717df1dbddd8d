// nf-core-style module for `jakcli classify`. Documented in workflow/nf-core/README.md;
// it is NOT executed in jakcli's CI (no Nextflow here): tests/integration/test_workflow_wrappers.py
// checks its structure against meta.yml.
process JAKCLI_CLASSIFY {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"

    input:
    tuple val(meta), path(vcf), path(tbi)
    tuple val(meta2), path(fusions)

    output:
    tuple val(meta), path("*.json"), emit: json
    tuple val(meta), path("*.tsv") , emit: tsv
    path "versions.yml"            , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def fusion_arg = fusions ? "--fusions ${meta.id}=${fusions}" : ''
    """
    jakcli classify ${vcf} ${fusion_arg} --sample ${meta.id} ${args} --format json -o ${prefix}.jakcli.json
    jakcli classify ${vcf} ${fusion_arg} --sample ${meta.id} ${args} --format tsv -o ${prefix}.jakcli.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        jakcli: \$(jakcli --version | sed 's/^jakcli //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.jakcli.json ${prefix}.jakcli.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        jakcli: \$(jakcli --version | sed 's/^jakcli //')
    END_VERSIONS
    """
}
