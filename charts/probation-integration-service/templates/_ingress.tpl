{{/*
Ingress for the services that serve an HTTP API (ingress.enabled). Host and TLS secret per
environment; Cloud Platform's external-dns annotations; optional source allow-list.
*/}}
{{- define "probation-integration-service.ingress" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if $v.ingress.enabled -}}
{{- $name := include "probation-integration-service.name" . -}}
{{- if not $v.ingress.host -}}
{{- fail "ingress.enabled is true but ingress.host is not set (set it in values-<env>.yaml)" -}}
{{- end -}}
{{- $annotations := dict -}}
{{- if $v.ingress.externalDns.enabled -}}
{{- $_ := set $annotations "external-dns.alpha.kubernetes.io/set-identifier" (printf "%s-%s-%s" $name .Release.Namespace $v.ingress.externalDns.colour) -}}
{{- $_ := set $annotations "external-dns.alpha.kubernetes.io/aws-weight" (toString $v.ingress.externalDns.weight) -}}
{{- end -}}
{{- with $v.ingress.allowlist -}}
{{- $cidrs := list -}}
{{- range $_, $cidr := . -}}
{{- $cidrs = append $cidrs $cidr -}}
{{- end -}}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/whitelist-source-range" (join "," (uniq $cidrs)) -}}
{{- end -}}
{{- with $v.ingress.blockedPaths -}}
{{- $snippet := "server_tokens off;\n" -}}
{{- range . -}}
{{- $snippet = printf "%slocation %s {\n  deny all;\n  return 401;\n}\n" $snippet . -}}
{{- end -}}
{{- $_ := set $annotations "nginx.ingress.kubernetes.io/server-snippet" $snippet -}}
{{- end -}}
{{- $annotations = mergeOverwrite $annotations (default (dict) $v.ingress.annotations) -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $name }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
  {{- with $annotations }}
  annotations:
    {{- range $key, $value := . }}
    {{- if contains "\n" (toString $value) }}
    {{ $key }}: |
      {{- toString $value | trimSuffix "\n" | nindent 6 }}
    {{- else }}
    {{ $key }}: {{ $value | toString | quote }}
    {{- end }}
    {{- end }}
  {{- end }}
spec:
  {{- with $v.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  tls:
    - hosts:
        - {{ $v.ingress.host }}
      {{- with $v.ingress.tlsSecretName }}
      secretName: {{ . }}
      {{- end }}
  rules:
    - host: {{ $v.ingress.host }}
      http:
        paths:
          - path: {{ $v.ingress.path }}
            pathType: Prefix
            backend:
              service:
                name: {{ $name }}
                port:
                  name: http
{{- end -}}
{{- end -}}
