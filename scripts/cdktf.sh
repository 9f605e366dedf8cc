#!/usr/bin/env bash
# Runs the cdktf CLI the way every example in the README does (`npm run synth` is
# `scripts/cdktf.sh synth`; diff, deploy, output and destroy go through it too):
# - the provider mirror found as the tests find it (scripts/machine-env.sh: TF_PLUGIN_MIRROR);
# - the project's Terraform CLI configuration, unless the user has one of their own
#   (TF_CLI_CONFIG_FILE or ~/.terraformrc naming an existing file): a missing one makes
#   Terraform warn on every call;
# - no version-check calls to HashiCorp from cdktf or Terraform (CHECKPOINT_DISABLE);
# - with a mirror, no `terraform providers lock` after init (CDKTF_SKIP_PROVIDER_LOCK, the
#   --skip-provider-lock flag): cdktf runs it to add linux_amd64 checksums and it asks the
#   registry, whatever the CLI configuration says, so it fails without network. Init still
#   writes the lock file with the checksums of what it installed; the lock files live in
#   cdktf.out and are not committed, so nothing is lost;
# - without a terminal (CI logs), CI=1, with which cdktf's live display (ink) writes its
#   final frame only: plain lines instead of a spinner redrawn with escape codes;
# - each server's admin password, PGPASSWORD_<NAME> (servers/<name>.ts), handed to Terraform as
#   TF_VAR_pgpassword_<name> unless that is set: one variable per server, so a deploy of tenants
#   on several servers never sends one server's password to another (scripts/server-passwords.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/machine-env.sh
. scripts/machine-env.sh
if [ ! -f "${TF_CLI_CONFIG_FILE:-${HOME:-}/.terraformrc}" ]; then
  export TF_CLI_CONFIG_FILE="$PWD/.terraform-cli.tfrc"
  bash scripts/terraform-cli-config.sh "$TF_CLI_CONFIG_FILE"
fi
export CHECKPOINT_DISABLE=1
if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then export CDKTF_SKIP_PROVIDER_LOCK="${CDKTF_SKIP_PROVIDER_LOCK:-true}"; fi
if [ ! -t 1 ] && [ -z "${CI:-}" ]; then export CI=1; fi
# shellcheck source=scripts/server-passwords.sh
. scripts/server-passwords.sh
exec node_modules/.bin/cdktf "$@"
