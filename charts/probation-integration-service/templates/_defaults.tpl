{{/*
Defaults shared by every probation integration service. The service chart's values (values.yaml, then
values-<env>.yaml, then --set) are deep-merged over these: maps merge key by key, lists and scalars
replace. They carry the settings of the Kotlin services' `templates/helm-defaults.yml` and of the
`generic-service` chart, translated to the Rust services' environment variable contract.
*/}}
{{- define "probation-integration-service.defaults" -}}
# Name of every object and of the container; the service charts set it to the service name.
nameOverride: ""
# HMPPS product id (developer portal); rendered as a label.
productId: HMPPS518
# Kubernetes service account the pods run as. On Cloud Platform it is created, with its IRSA role
# for SQS/SNS, by cloud-platform-environments; the chart only creates it when serviceAccount.create.
serviceAccountName: ""
serviceAccount:
  create: false
  annotations: {}
  automountServiceAccountToken: true

replicaCount: 2
revisionHistoryLimit: 5

image:
  repository: ""
  # Defaults to the chart's appVersion; the deploy pipeline sets the built tag (YYYY-MM-DD.<run>.<sha7>).
  tag: ""
  pullPolicy: IfNotPresent
  # Container port; the binary listens on $PORT, which the deployment sets to this value.
  port: 8080

imagePullSecrets: []

# Set per service from measurements; see the comment in each service's values.yaml.
resources:
  requests:
    cpu: 50m
    memory: 64Mi
  limits:
    cpu: "1"
    memory: 256Mi

# Seconds the binary gets after SIGTERM to finish in-flight messages (SHUTDOWN_GRACE_PERIOD_SECONDS).
# The pod's terminationGracePeriodSeconds is this plus terminationGraceMarginSeconds.
shutdownGracePeriodSeconds: 20
terminationGraceMarginSeconds: 10

# Plain environment variables, name -> value (values are quoted when rendered).
env:
  AWS_REGION: eu-west-2
  LOG_FORMAT: json
  RUST_LOG: info

# Kubernetes secrets mapped to environment variables: secret name -> { ENV_VAR: key in the secret }.
namespace_secrets:
  common:
    DATABASE_URL: DB_URL

# Probes. The startup probe allows 30 x 10 s = 300 s to start, as the Kotlin services do.
startupProbe:
  httpGet:
    path: /health/liveness
    port: http
  periodSeconds: 10
  timeoutSeconds: 10
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /health/liveness
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /health/readiness
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3

podSecurityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  seccompProfile:
    type: RuntimeDefault
securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  runAsGroup: 10001
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
      - ALL
# A small writable /tmp, since the root filesystem is read-only.
tmpVolume:
  enabled: true
  sizeLimit: 64Mi

podAnnotations: {}
podLabels: {}
nodeSelector: {}
tolerations: []
# Spread replicas over nodes when possible.
podAntiAffinity: soft

service:
  type: ClusterIP
  port: 80

ingress:
  # Only the services that serve an HTTP API turn this on.
  enabled: false
  className: default
  host: ""
  tlsSecretName: ""
  path: /
  annotations: {}
  # Cloud Platform external-dns annotations (set-identifier <name>-<namespace>-<colour>, weight).
  externalDns:
    enabled: true
    colour: green
    weight: "100"
  # Paths answered 401 at the ingress: /metrics is for the in-cluster Prometheus only
  # (nginx server-snippet, the pattern HMPPS services use on Cloud Platform).
  blockedPaths:
    - /metrics
  # Source CIDRs allowed to reach the ingress, name -> CIDR (nginx whitelist-source-range).
  # Empty means no source restriction; the APIs still require an HMPPS Auth token.
  allowlist: {}

podDisruptionBudget:
  enabled: true
  minAvailable: 1

# Prometheus Operator scrape of GET /metrics on the http port.
serviceMonitor:
  enabled: true
  path: /metrics
  interval: 30s
  scrapeTimeout: 10s
  labels: {}

# Allows the cluster's Prometheus (namespaces labelled component=monitoring) to scrape the pods
# under Cloud Platform's default-deny network policy.
networkPolicy:
  enabled: true
  monitoringNamespaceSelector:
    component: monitoring

# Alerts (replaces generic-prometheus-alerts).
prometheusRule:
  enabled: true
  labels: {}
  # Routes to the team's alert channel, as alertSeverity does for the Kotlin services.
  severity: probation-integration-notifications
  # Only fire Monday-Friday 08:00-17:59 UTC (dev and preprod).
  businessHoursOnly: false
  # messages_total{outcome="error"} in the last 10 minutes above this fires MessagesFailing.
  failedMessagesThreshold: 0
  # Oldest visible message older than this (minutes) fires QueueMessagesOld (sqsAlertsOldestThreshold).
  sqsOldestMessageMinutes: 30
  # Queue names as the CloudWatch exporter reports them, e.g. probation-integration-dev-<svc>-queue.
  sqsQueueNames: []
{{- end -}}

{{/*
The effective values: defaults overridden by the chart's values. Use as
  {{- $v := include "probation-integration-service.values" . | fromYaml }}
*/}}
{{- define "probation-integration-service.values" -}}
{{- $defaults := include "probation-integration-service.defaults" . | fromYaml -}}
{{- $values := omit (deepCopy .Values) "probation-integration-service" -}}
{{- toYaml (mergeOverwrite $defaults $values) -}}
{{- end -}}
