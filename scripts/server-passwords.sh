# Sourced, not run: hands each server's admin password, PGPASSWORD_<NAME> (servers/<name>.ts), to
# Terraform as TF_VAR_pgpassword_<name> unless that is set. One variable per server, so a deploy of
# tenants on several servers never sends one server's password to another. Used by scripts/cdktf.sh
# and scripts/ci/deploy-tenant.sh (which runs terraform itself).
for name in $(compgen -e); do
  case "$name" in
    PGPASSWORD_*)
      tf_var="TF_VAR_$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')"
      if [ -z "${!tf_var:-}" ]; then export "$tf_var=${!name}"; fi
      ;;
  esac
done
