{{/*
This chart's templates are one-line includes of the library chart probation-integration-service
(charts/probation-integration-service/templates): the Deployment, Service, ServiceAccount, Ingress,
PodDisruptionBudget, ServiceMonitor, NetworkPolicy and PrometheusRule are the same for every service
and differ only by values. Put anything specific to prison-custody-status-to-delius here or in a new template.
*/}}
