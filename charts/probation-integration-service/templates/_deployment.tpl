{{/*
The service's Deployment: one container running the service binary. Environment variables are the
Rust services' contract (see tech-docs/deployment.md): PORT and SHUTDOWN_GRACE_PERIOD_SECONDS come
from chart settings, the rest from `env` (plain values) and `namespace_secrets` (secret keys).
*/}}
{{- define "probation-integration-service.deployment" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- $name := include "probation-integration-service.name" . -}}
{{- $grace := int $v.shutdownGracePeriodSeconds -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
spec:
  replicas: {{ int $v.replicaCount }}
  revisionHistoryLimit: {{ int $v.revisionHistoryLimit }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "probation-integration-service.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "probation-integration-service.labels" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "probation-integration-service.serviceAccountName" . }}
      terminationGracePeriodSeconds: {{ add $grace (int $v.terminationGraceMarginSeconds) }}
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if eq (toString $v.podAntiAffinity) "soft" }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "probation-integration-service.selectorLabels" . | nindent 20 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ include "probation-integration-service.image" . | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ int $v.image.port }}
              protocol: TCP
          env:
            {{- include "probation-integration-service.env" . | nindent 12 }}
          {{- with $v.startupProbe }}
          startupProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.livenessProbe }}
          livenessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.readinessProbe }}
          readinessProbe:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with $v.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- if $v.tmpVolume.enabled }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
          {{- end }}
      {{- if $v.tmpVolume.enabled }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpVolume.sizeLimit }}
      {{- end }}
{{- end -}}


{{/*
The container environment (a YAML list): PORT and SHUTDOWN_GRACE_PERIOD_SECONDS from chart settings,
then `env` (plain values) and `namespace_secrets` (secret keys). Shared by the Deployment and any
job a service chart runs from the same image.
*/}}
{{- define "probation-integration-service.env" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
- name: PORT
  value: {{ int $v.image.port | quote }}
- name: SHUTDOWN_GRACE_PERIOD_SECONDS
  value: {{ int $v.shutdownGracePeriodSeconds | quote }}
{{- range $key, $value := $v.env }}
{{- if and (ne $key "PORT") (ne $key "SHUTDOWN_GRACE_PERIOD_SECONDS") (not (kindIs "invalid" $value)) }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- range $secret, $mapping := $v.namespace_secrets }}
{{- range $envName, $key := $mapping }}
{{- if not (kindIs "invalid" $key) }}
- name: {{ $envName }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
