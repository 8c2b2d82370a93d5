{{/*
Lets the cluster's Prometheus reach the http port (for /metrics). Ingress-controller traffic is
allowed by the namespace's own policies on Cloud Platform.
*/}}
{{- define "probation-integration-service.networkpolicy" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if and $v.networkPolicy.enabled $v.serviceMonitor.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "probation-integration-service.name" . }}-allow-prometheus
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "probation-integration-service.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $v.networkPolicy.monitoringNamespaceSelector | nindent 14 }}
      ports:
        - port: http
          protocol: TCP
{{- end -}}
{{- end -}}
