{{/* Names and labels. */}}
{{- define "flotilla.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "flotilla.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "flotilla.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flotilla.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "flotilla.labels" -}}
{{ include "flotilla.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: flotilla
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "flotilla.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flotilla.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart mounts key files (else the controller keeps its keys in the database). */}}
{{- define "flotilla.keysMounted" -}}
{{- if or .Values.keys.existingSecret (and .Values.keys.sshIdentity .Values.keys.signingKey) -}}true{{- end -}}
{{- end -}}

{{/* Whether an admin bootstrap token is given (else the first replica creates one and logs it once). */}}
{{- define "flotilla.tokenGiven" -}}
{{- if or .Values.auth.existingSecret .Values.auth.bootstrapToken -}}true{{- end -}}
{{- end -}}

{{/* Secret names: an existing one when given, else the chart's own. */}}
{{- define "flotilla.keysSecret" -}}
{{- .Values.keys.existingSecret | default (printf "%s-keys" (include "flotilla.fullname" .)) -}}
{{- end -}}

{{- define "flotilla.authSecret" -}}
{{- .Values.auth.existingSecret | default (printf "%s-auth" (include "flotilla.fullname" .)) -}}
{{- end -}}

{{- define "flotilla.dbSecret" -}}
{{- .Values.database.existingSecret | default (printf "%s-db" (include "flotilla.fullname" .)) -}}
{{- end -}}
