{{/* Keeps at least minAvailable pods up during voluntary disruptions (node drains, upgrades). */}}
{{- define "probation-integration-service.poddisruptionbudget" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if and $v.podDisruptionBudget.enabled (gt (int $v.replicaCount) 1) -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "probation-integration-service.name" . }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
spec:
  minAvailable: {{ $v.podDisruptionBudget.minAvailable }}
  selector:
    matchLabels:
      {{- include "probation-integration-service.selectorLabels" . | nindent 6 }}
{{- end -}}
{{- end -}}
