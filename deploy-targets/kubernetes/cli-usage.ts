/** The usage lines of `opsbot manifests` and `opsbot fetch-artifact`, apart from their code so `opsbot help` loads no Kubernetes client. */
export const MANIFESTS_USAGE = `manifests <model> <env> [--version N] [--colour blue|green]
                          print the Kubernetes YAML opsbot applies for a version (multi-document, for GitOps)`;

export const FETCH_ARTIFACT_USAGE = `fetch-artifact --url URL --to DIR
                          download a version's files from opsbot's artifact route into DIR (a pod's init
                          container; the bearer token in OPSBOT_ARTIFACT_TOKEN)`;
