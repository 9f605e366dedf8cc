/** Messages of the stacks used with a tenant they do not fit (a programming error, not a user's). */

/** An AWS stack was asked for a tenant that does not run on AWS. */
export function notALambdaTenant(file: string, target: string): string {
  return `${file}: app.target "${target}" has no AWS stacks; only tenants with app.target "lambda" get them`;
}

/** The Kubernetes stack was asked for a tenant that does not run on Kubernetes. */
export function notAKubernetesTenant(file: string, target: string): string {
  return `${file}: app.target "${target}" has no Kubernetes stack; only tenants with app.target "kubernetes" get one`;
}
