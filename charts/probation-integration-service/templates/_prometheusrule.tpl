{{/*
Alerts (replaces the generic-prometheus-alerts chart): failed messages from the service's own
/metrics, old messages on its SQS queue (CloudWatch exporter metrics), unavailable replicas and
restarts (kube-state-metrics). severity routes the alert to the team's channel.
*/}}
{{- define "probation-integration-service.prometheusrule" -}}
{{- $v := include "probation-integration-service.values" . | fromYaml -}}
{{- if $v.prometheusRule.enabled -}}
{{- $name := include "probation-integration-service.name" . -}}
{{- $ns := .Release.Namespace -}}
{{- $r := $v.prometheusRule -}}
{{- $hours := "" -}}
{{- if $r.businessHoursOnly -}}
{{- $hours = " and on() (hour() >= 8 <= 17) and on() (day_of_week() >= 1 <= 5)" -}}
{{- end -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ $name }}
  labels:
    {{- include "probation-integration-service.labels" . | nindent 4 }}
    {{- with $r.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ $name }}
      rules:
        - alert: MessagesFailing
          expr: >-
            (sum by (namespace, job, event_type) (increase(messages_total{namespace="{{ $ns }}", job="{{ $name }}", outcome="error"}[10m])) > {{ $r.failedMessagesThreshold }}){{ $hours }}
          for: 5m
          labels:
            severity: {{ $r.severity }}
          annotations:
            summary: {{ printf "%s is failing to handle messages" $name | quote }}
            message: {{ "{{ $labels.job }}: {{ $value | humanize }} {{ $labels.event_type }} message(s) failed in the last 10 minutes; failed messages are redelivered and go to the dead-letter queue after 3 receives." | quote }}
        {{- with $r.sqsQueueNames }}
        - alert: QueueMessagesOld
          expr: >-
            (max by (queue_name) (aws_sqs_approximate_age_of_oldest_message_maximum{queue_name=~"{{ join "|" . }}"} offset 5m) > {{ mul (int $r.sqsOldestMessageMinutes) 60 }}){{ $hours }}
          for: 10m
          labels:
            severity: {{ $r.severity }}
          annotations:
            summary: {{ printf "%s queue has old messages" $name | quote }}
            message: {{ printf "The oldest message on {{ $labels.queue_name }} is older than %d minutes: is %s consuming?" (int $r.sqsOldestMessageMinutes) $name | quote }}
        {{- $dlqs := list }}
        {{- range . }}
        {{- $dlqs = append $dlqs (printf "%s-dlq" (trimSuffix "-queue" .)) }}
        {{- end }}
        - alert: DeadLetterQueueNotEmpty
          expr: >-
            (max by (queue_name) (aws_sqs_approximate_number_of_messages_visible_maximum{queue_name=~"{{ join "|" $dlqs }}"} offset 5m) > 0){{ $hours }}
          for: 5m
          labels:
            severity: {{ $r.severity }}
          annotations:
            summary: {{ printf "%s has dead-lettered messages" $name | quote }}
            message: {{ "{{ $labels.queue_name }} holds {{ $value }} message(s) that failed 3 deliveries: see the runbook (dead-letter queue)." | quote }}
        {{- end }}
        - alert: ReplicasUnavailable
          expr: >-
            (kube_deployment_spec_replicas{namespace="{{ $ns }}", deployment="{{ $name }}"} - kube_deployment_status_replicas_available{namespace="{{ $ns }}", deployment="{{ $name }}"} > 0){{ $hours }}
          for: 10m
          labels:
            severity: {{ $r.severity }}
          annotations:
            summary: {{ printf "%s has unavailable replicas" $name | quote }}
            message: {{ printf "%s: {{ $value }} replica(s) unavailable for 10 minutes (readiness: database and queue reachable)." $name | quote }}
        - alert: ContainerRestarting
          expr: >-
            (sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="{{ $ns }}", container="{{ $name }}"}[15m])) > 2){{ $hours }}
          labels:
            severity: {{ $r.severity }}
          annotations:
            summary: {{ printf "%s is restarting" $name | quote }}
            message: {{ "{{ $labels.pod }} restarted {{ $value | humanize }} times in 15 minutes (OOMKilled? check the memory limit)." | quote }}
{{- end -}}
{{- end -}}
