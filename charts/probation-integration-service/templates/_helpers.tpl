{{/*
Name of the service: nameOverride, else the chart name. Every object is named after the service
(no release prefix), as with the Kotlin charts, so that the secrets, the service account and the
ingress TLS secret can be named <service>-... by the platform.
*/}}
{{- define "probation-integration-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "probation-integration-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "probation-integration-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "probation-integration-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "probation-integration-service.labels" -}}
{{ include "probation-integration-service.selectorLabels" . }}
{{- $v := include "probation-integration-service.values" . | fromYaml }}
app.kubernetes.io/version: {{ (default .Chart.AppVersion $v.image.tag) | toString | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: hmpps-probation-integration-services
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ include "probation-integration-service.chart" . }}
{{- with $v.productId }}
hmpps.service.justice.gov.uk/product-id: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "probation-integration-service.serviceAccountName" -}}
{{- default (include "probation-integration-service.name" .) .Values.serviceAccountName -}}
{{- end -}}

{{- define "probation-integration-service.image" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if not $v.image.repository -}}
{{- fail "image.repository must be set" -}}
{{- end -}}
{{- printf "%s:%s" $v.image.repository (default .Chart.AppVersion $v.image.tag | toString) -}}
{{- end -}}
