{{/*
The pods' ServiceAccount, created only when serviceAccount.create is true. On Cloud Platform the
account (annotated with its IRSA role, which grants the SQS/SNS access) is created by
cloud-platform-environments, so the charts leave it alone there.
*/}}
{{- define "probation-integration-service.serviceaccount" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if $v.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "probation-integration-service.serviceAccountName" . }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
  {{- with $v.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ $v.serviceAccount.automountServiceAccountToken }}
{{- end -}}
{{- end -}}
