output "ecr_repository_url" {
  description = "Push and pull URL of the service's ECR repository."
  value       = aws_ecr_repository.service.repository_url
}

output "workload_role_arn" {
  description = "IRSA role of the Kubernetes ServiceAccount (its eks.amazonaws.com/role-arn annotation); the SecretStore reads the runtime secret as this role."
  value       = aws_iam_role.workload.arn
}

output "deploy_role_arn" {
{%- if cookiecutter.ci_provider == 'github' %}
  description = "IAM role the deploy workflow assumes by GitHub OIDC (repository variable AWS_DEPLOY_ROLE_ARN)."
{%- elif cookiecutter.ci_provider == 'gitlab' %}
  description = "IAM role the deploy jobs assume by GitLab OIDC (environment-scoped CI/CD variable AWS_DEPLOY_ROLE_ARN)."
{%- else %}
  description = "IAM role the deploy stage assumes by Jenkins OIDC (string credential aws-deploy-role-<environment>)."
{%- endif %}
  value       = aws_iam_role.deploy.arn
}

output "runtime_secret_name" {
  description = "Secrets Manager secret the ExternalSecret reads."
  value       = aws_secretsmanager_secret.runtime.name
}

output "kms_key_arn" {
  description = "KMS key encrypting the image repository and the runtime secret."
  value       = aws_kms_key.service.arn
}
