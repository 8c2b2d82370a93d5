#!/usr/bin/env bash
# Lint and render every service Helm chart under charts/, offline.
#
# For each service chart (every chart except the library chart probation-integration-service):
#   1. helm dependency update  (packages the file:// library chart into charts/<svc>/charts/)
#   2. helm lint --strict with values-<env>.yaml for dev, preprod and prod
#   3. helm template with each values-<env>.yaml, plus one render with every optional object on
#   4. checks that each rendered Deployment carries the environment contract (PORT, DATABASE_URL, ...)
# Prints one summary line per chart; on any failure prints the tool output and exits non-zero.
#
# Usage: scripts/lint-charts.sh [chart-name ...]     (default: all)
# Env:   HELM=/path/to/helm to use a particular binary; KEEP_RENDERED=dir to keep the manifests.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
helm="$(scripts/ensure-helm.sh)"
library=probation-integration-service
envs=(dev preprod prod)
# Every deployed service must get these (plain or from a secret); see tech-docs/deployment.md.
required_env=(PORT DATABASE_URL DATABASE_USERNAME DATABASE_PASSWORD DELIUS_DB_USERNAME
    MESSAGING_CONSUMER_QUEUE MESSAGING_CONSUMER_DETAIL_URLS AWS_REGION HMPPS_AUTH_URL JWT_ISSUER_URI
    OAUTH2_CLIENT_ID OAUTH2_CLIENT_SECRET LOG_FORMAT SHUTDOWN_GRACE_PERIOD_SECONDS)

out="${KEEP_RENDERED:-}"
if [ -z "$out" ]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
log="$out/.log"

failures=0
fail() { # chart, step
    echo "FAIL $1: $2" >&2
    sed 's/^/    /' "$log" >&2
    failures=$((failures + 1))
}

if ! "$helm" lint --strict "charts/$library" >"$log" 2>&1; then
    fail "$library" "helm lint"
else
    echo "ok   $library (library chart)"
fi

if [ $# -gt 0 ]; then
    charts=("$@")
else
    charts=()
    for dir in charts/*/; do
        name="$(basename "$dir")"
        [ "$name" = "$library" ] && continue
        [ -f "$dir/Chart.yaml" ] || continue
        charts+=("$name")
    done
fi

for name in "${charts[@]}"; do
    chart="charts/$name"
    if [ ! -f "$chart/Chart.yaml" ]; then
        echo "FAIL $name: no $chart/Chart.yaml" >&2; failures=$((failures + 1)); continue
    fi
    # update, not build: it re-packages the library chart even when Chart.lock is unchanged, so
    # edits to the library templates are always picked up. file:// needs no network.
    if ! "$helm" dependency update --skip-refresh "$chart" >"$log" 2>&1; then
        fail "$name" "helm dependency update"; continue
    fi
    ok=1
    objects=""
    for env in "${envs[@]}"; do
        values="$chart/values-$env.yaml"
        ns="hmpps-probation-integration-services-$env"
        if [ ! -f "$values" ]; then
            echo "no $values" >"$log"; fail "$name" "values-$env.yaml missing"; ok=0; continue
        fi
        if ! "$helm" lint --strict "$chart" -f "$values" --namespace "$ns" >"$log" 2>&1; then
            fail "$name" "helm lint -f values-$env.yaml"; ok=0; continue
        fi
        rendered="$out/$name-$env.yaml"
        if ! "$helm" template "$name" "$chart" -f "$values" --namespace "$ns" >"$rendered" 2>"$log"; then
            fail "$name" "helm template -f values-$env.yaml"; ok=0; continue
        fi
        missing=()
        for var in "${required_env[@]}"; do
            grep -Eq "^ +- name: $var\$" "$rendered" || missing+=("$var")
        done
        if ! grep -Eq "^ +- name: INTEGRATIONS_[A-Z0-9_]+_URL\$" "$rendered"; then
            missing+=("INTEGRATIONS_<UPSTREAM>_URL")
        fi
        if [ ${#missing[@]} -gt 0 ]; then
            echo "missing: ${missing[*]}" >"$log"
            fail "$name" "values-$env.yaml: Deployment lacks environment variables"; ok=0; continue
        fi
        objects="$(grep -E '^kind: ' "$rendered" | sed 's/^kind: //' | sort | paste -sd, -)"
    done
    # Everything optional switched on (created ServiceAccount, ingress), to render every template.
    if ! "$helm" template "$name" "$chart" -f "$chart/values-prod.yaml" --namespace lint \
        --set serviceAccount.create=true --set ingress.enabled=true \
        --set ingress.allowlist.example=192.0.2.0/24 --set bulkUpdate.enabled=true \
        >"$out/$name-all.yaml" 2>"$log"; then
        fail "$name" "helm template with every optional object"; ok=0
    fi
    if [ "$ok" = 1 ]; then
        echo "ok   $name (lint + template: ${envs[*]}; objects: $objects)"
    fi
done

if [ "$failures" -gt 0 ]; then
    echo "lint-charts: $failures failure(s)" >&2
    exit 1
fi
