#!/usr/bin/env bash
# Deploys one tenant's stacks in the order given (the deploy workflow passes them in deploy order:
# <key>-network, <key>-database, <key>, <key>-app), each one planned, the plan checked by
# `tenants check-plan` (no database destroyed, replaced or renamed unless explicit), and only then
# applied: the checked plan file is the one applied.
#   bash scripts/ci/deploy-tenant.sh <tenant> <stack>...
# Credentials come from the environment (OIDC, secrets); a variable the workflow set to the empty
# string (a repository variable nobody defined) is unset, so its default applies.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash scripts/ci/deploy-tenant.sh <tenant> <stack>..." >&2
  exit 2
fi
tenant=$1
shift
for stack in "$@"; do
  case "$stack" in
    "$tenant" | "$tenant-network" | "$tenant-database" | "$tenant-app") ;;
    *)
      echo "$stack is not a stack of $tenant (its stacks are $tenant, $tenant-network, $tenant-database, $tenant-app)" >&2
      exit 2
      ;;
  esac
done
cd "$(dirname "$0")/../.."
for name in $(compgen -e); do
  case "$name" in
    TF_VAR_* | PG* | TENANT_STATE_* | DOCKER_HOST | AWS_REGION) if [ -z "${!name}" ]; then unset "$name"; fi ;;
  esac
done

# Only this tenant's stacks (the whole registry is still validated).
TENANT_KEYS="$tenant" bash scripts/cdktf.sh synth
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
