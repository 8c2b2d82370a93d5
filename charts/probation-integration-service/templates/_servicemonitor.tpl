{{/* Prometheus Operator scrape of the service's /metrics (messages by outcome, handling latency). */}}
{{- define "probation-integration-service.servicemonitor" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if $v.serviceMonitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "probation-integration-service.name" . }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
    {{- with $v.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "probation-integration-service.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: {{ $v.serviceMonitor.path }}
      interval: {{ $v.serviceMonitor.interval }}
      scrapeTimeout: {{ $v.serviceMonitor.scrapeTimeout }}
{{- end -}}
{{- end -}}
