{{/* ClusterIP Service in front of the http port (ingress backend and Prometheus scrape target). */}}
{{- define "probation-integration-service.service" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "probation-integration-service.name" . }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "probation-integration-service.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ int $v.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}
