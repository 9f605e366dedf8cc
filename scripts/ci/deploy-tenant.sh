#!/usr/bin/env bash
# Deploys one tenant's stacks in the order given (the deploy workflow passes them in deploy order:
# <key>-network, <key>-database, <key>, <key>-app), each one planned, the plan checked by
# `tenants check-plan` (no database destroyed, replaced or renamed unless explicit), and only then
# applied: the checked plan file is the one applied.
#   bash scripts/ci/deploy-tenant.sh <tenant> <stack>...
# Credentials come from the environment (OIDC, secrets); a variable the workflow set to the empty
# string (a repository variable nobody defined) is unset, so its default applies. The admin password
# of the tenant's server comes as SERVER_PASSWORD, named by SERVER_PASSWORD_VARIABLE (PGPASSWORD or
# PGPASSWORD_<NAME>, from the deploy matrix; empty for a tenant without a server of the fleet).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash scripts/ci/deploy-tenant.sh <tenant> <stack>..." >&2
  exit 2
fi
tenant=$1
shift
for stack in "$@"; do
  case "$stack" in
    "$tenant" | "$tenant-network" | "$tenant-database" | "$tenant-app" | "$tenant-k8s") ;;
    *)
      echo "$stack is not a stack of $tenant (its stacks are $tenant, $tenant-network, $tenant-database, $tenant-app, $tenant-k8s)" >&2
      exit 2
      ;;
  esac
done
cd "$(dirname "$0")/../.."
for name in $(compgen -e); do
  case "$name" in
    TF_VAR_* | PG* | TENANT_STATE_* | DOCKER_HOST | AWS_REGION | KUBE_*) if [ -z "${!name}" ]; then unset "$name"; fi ;;
  esac
done
if [ -n "${SERVER_PASSWORD_VARIABLE:-}" ]; then
  case "$SERVER_PASSWORD_VARIABLE" in
    PGPASSWORD | PGPASSWORD_[A-Z0-9]*) ;;
    *)
      echo "SERVER_PASSWORD_VARIABLE \"$SERVER_PASSWORD_VARIABLE\" is not a server password variable (PGPASSWORD or PGPASSWORD_<NAME>)" >&2
      exit 2
      ;;
  esac
  if [ -z "${SERVER_PASSWORD:-}" ]; then
    echo "the secret $SERVER_PASSWORD_VARIABLE is not set: it holds the admin password of $tenant's server (servers/<name>.ts); add it to the repository's or the environment's secrets" >&2
    exit 1
  fi
  export "$SERVER_PASSWORD_VARIABLE=$SERVER_PASSWORD"
fi
unset SERVER_PASSWORD SERVER_PASSWORD_VARIABLE
# shellcheck source=scripts/server-passwords.sh
. scripts/server-passwords.sh

# Only this tenant's stacks (the whole registry is still validated).
TENANTS_SYNTH_CACHE=off TENANT_KEYS="$tenant" bash scripts/cdktf.sh synth
for stack in "$@"; do
  dir="cdktf.out/stacks/$stack"
  if [ ! -f "$dir/cdk.tf.json" ]; then
    echo "synthesis wrote no stack $stack" >&2
    exit 1
  fi
  echo "::group::$stack: plan"
  terraform -chdir="$dir" init -input=false
  terraform -chdir="$dir" plan -input=false -out=tfplan
  terraform -chdir="$dir" show -json tfplan >"$dir/plan.json"
  echo "::endgroup::"
  npx tenants check-plan "$tenant" "$dir/plan.json"
  echo "::group::$stack: apply"
  terraform -chdir="$dir" apply -input=false tfplan
  echo "::endgroup::"
done
