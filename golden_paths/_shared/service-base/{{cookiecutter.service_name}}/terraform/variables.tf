variable "service_name" {
  type        = string
  description = "Service name; used for the ECR repository, IAM roles and tags."
  default     = "{{ cookiecutter.service_name }}"

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$", var.service_name))
    error_message = "service_name must be a DNS-1123 label."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment; selects state, names and the Kubernetes trust."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "aws_account_id" {
  type        = string
  description = "AWS account of this environment (environments/<env>.tfvars); the provider refuses any other."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region for every resource of this stack."
  default     = "{{ cookiecutter.aws_region }}"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "owner" {
  type        = string
  description = "Owning team (Backstage owner); applied as the owner tag."
  default     = "{{ cookiecutter.owner }}"
}

variable "cost_center" {
  type        = string
  description = "Cost centre applied as a tag to every resource."
  default     = "{{ cookiecutter.cost_center }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9][-A-Za-z0-9_]*$", var.cost_center))
    error_message = "cost_center must be letters, digits, '-' or '_'."
  }
}
{%- if cookiecutter.ci_provider == 'github' %}

variable "github_repository" {
  type        = string
  description = "GitHub repository (org/name) whose deploy workflow may assume the deploy role."
  default     = "{{ cookiecutter.github_org }}/{{ cookiecutter.service_name }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be org/name."
  }
}
{%- elif cookiecutter.ci_provider == 'gitlab' %}

variable "gitlab_url" {
  type        = string
  description = "GitLab instance whose OIDC tokens the deploy role trusts."
  default     = "{{ cookiecutter.gitlab_url }}"

  validation {
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?$", var.gitlab_url))
    error_message = "gitlab_url must be an https URL without a path."
  }
}

variable "gitlab_project" {
  type        = string
  description = "GitLab project (group/name) whose default-branch pipelines may assume the deploy role."
  default     = "{{ cookiecutter.github_org }}/{{ cookiecutter.service_name }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+$", var.gitlab_project))
    error_message = "gitlab_project must be group/name."
  }
}
{%- else %}

variable "jenkins_url" {
  type        = string
  description = "Root URL of the Jenkins controller whose OIDC tokens the deploy role trusts."
  default     = "{{ cookiecutter.jenkins_url }}"

  validation {
    condition     = can(regex("^https://[^/]+", var.jenkins_url)) && !endswith(var.jenkins_url, "/")
    error_message = "jenkins_url must be an https URL without a trailing slash."
  }
}
{%- endif %}

variable "eks_cluster_name" {
  type        = string
  description = "EKS cluster that runs this environment; its OIDC issuer is trusted for IRSA."

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.eks_cluster_name))
    error_message = "eks_cluster_name must be a valid EKS cluster name."
  }
}

variable "kubernetes_namespace" {
  type        = string
  description = "Namespace of the workload's ServiceAccount."
  default     = "{{ cookiecutter.service_name }}"
}

variable "image_retention_count" {
  type        = number
  description = "How many tagged images the ECR lifecycle policy keeps."
  default     = 50

  validation {
    condition     = var.image_retention_count >= 10 && var.image_retention_count <= 1000
    error_message = "image_retention_count must be between 10 and 1000."
  }
}

variable "kms_deletion_window_days" {
  type        = number
  description = "Waiting period before a scheduled KMS key deletion takes effect."
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}
