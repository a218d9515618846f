# Infrastructure of {{ cookiecutter.service_name }} in one environment: image repository,
# encryption key, runtime secret, the workload's IRSA role and the CI deploy role.
# Managed by platctl.

provider "aws" {
  region = var.aws_region
  # The ServiceAccount's role ARN names this account (golden-path variable
  # aws_account_id_<environment>); refuse to run with credentials for any other.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = local.tags
  }
}

locals {
  name = "${var.service_name}-${var.environment}"

  # Mandatory tags, applied to every resource through default_tags.
  tags = {
    owner       = var.owner
    service     = var.service_name
    environment = var.environment
    cost_center = var.cost_center
    managed_by  = "terraform"
  }

  eks_issuer = replace(data.aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
{%- if cookiecutter.ci_provider == 'gitlab' %}

  # GitLab's OIDC issuer is the instance URL; IAM condition keys drop the scheme.
  ci_issuer = trimprefix(var.gitlab_url, "https://")
{%- elif cookiecutter.ci_provider == 'jenkins' %}

  # The Jenkins OpenID Connect Provider plugin issues tokens from <jenkins>/oidc.
  ci_issuer = "${trimprefix(var.jenkins_url, "https://")}/oidc"
{%- endif %}
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_eks_cluster" "this" {
  name = var.eks_cluster_name
}

data "aws_iam_openid_connect_provider" "eks" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}
{%- if cookiecutter.ci_provider == 'github' %}

# The GitHub Actions OIDC provider is account-wide and owned by the platform team.
data "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}
{%- elif cookiecutter.ci_provider == 'gitlab' %}

# The GitLab OIDC provider is account-wide and owned by the platform team.
data "aws_iam_openid_connect_provider" "ci" {
  url = var.gitlab_url
}
{%- else %}

# The Jenkins OIDC provider (OpenID Connect Provider plugin) is account-wide and owned by
# the platform team.
data "aws_iam_openid_connect_provider" "ci" {
  url = "https://${local.ci_issuer}"
}
{%- endif %}

# ---------------------------------------------------------------- encryption

data "aws_iam_policy_document" "kms" {
  # This is AWS's default key policy: it hands the key to the account's IAM, which then
  # grants use through identity policies (see workload below). "*" here is the key itself.
  #checkov:skip=CKV_AWS_109:Key policy; resource "*" is this key only, delegation to account IAM is AWS's default
  #checkov:skip=CKV_AWS_111:Key policy; resource "*" is this key only, delegation to account IAM is AWS's default
  #checkov:skip=CKV_AWS_356:Key policy; resource "*" is this key only, delegation to account IAM is AWS's default
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy "*" means this key
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "service" {
  description             = "Encrypts the ${local.name} image repository and runtime secret."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "service" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.service.key_id
}

# ------------------------------------------------------------ image registry

# One AWS account per environment, so the repository needs no environment suffix.
resource "aws_ecr_repository" "service" {
  name                 = var.service_name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.service.arn
  }
}

resource "aws_ecr_lifecycle_policy" "service" {
  repository = aws_ecr_repository.service.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after 7 days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 7
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest ${var.image_retention_count} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.image_retention_count
        }
        action = { type = "expire" }
      },
    ]
  })
}

# ------------------------------------------------------------ runtime secret

# The value is set out of band (console or CLI), never in Terraform state or git.
resource "aws_secretsmanager_secret" "runtime" {
  name                    = "${var.environment}/${var.service_name}"
  description             = "Runtime secrets of ${local.name}, synced into Kubernetes by External Secrets."
  kms_key_id              = aws_kms_key.service.arn
  recovery_window_in_days = 30
}

# ------------------------------------------------- workload role (IRSA / EKS)

data "aws_iam_policy_document" "workload_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.eks.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.eks_issuer}:sub"
      values   = ["system:serviceaccount:${var.kubernetes_namespace}:${var.service_name}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.eks_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "workload" {
  name                 = "${local.name}-workload"
  description          = "Assumed by the ${var.service_name} ServiceAccount in ${var.environment}."
  assume_role_policy   = data.aws_iam_policy_document.workload_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "workload" {
  statement {
    sid       = "ReadRuntimeSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.runtime.arn]
  }
  statement {
    sid       = "DecryptRuntimeSecret"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.service.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "workload" {
  name   = "runtime"
  role   = aws_iam_role.workload.id
  policy = data.aws_iam_policy_document.workload.json
}

# The workload role is the only identity that reads the secret's value: External Secrets
# reads it through the namespaced SecretStore as this role, and nobody else, however broad
# their IAM permissions, gets GetSecretValue. Setting the value (PutSecretValue) stays open.
data "aws_iam_policy_document" "runtime_secret" {
  statement {
    sid       = "OnlyTheWorkloadRoleReadsTheValue"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"] # in a secret's resource policy "*" means this secret
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalArn"
      values   = [aws_iam_role.workload.arn]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "runtime" {
  secret_arn          = aws_secretsmanager_secret.runtime.arn
  policy              = data.aws_iam_policy_document.runtime_secret.json
  block_public_policy = true
}
{%- if cookiecutter.ci_provider == 'github' %}

# ------------------------------------------------ deploy role (GitHub OIDC)

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Only this repository's deploy jobs bound to this GitHub environment.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${var.environment}"]
    }
  }
}
{%- elif cookiecutter.ci_provider == 'gitlab' %}

# ------------------------------------------------ deploy role (GitLab OIDC)

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.ci.arn]
    }
    # Only this environment's deploy jobs: publish-<env> asks for this audience in its
    # id_tokens (AWS STS evaluates no GitLab claim but aud and sub, so the environment
    # rides in the audience; add it to the provider's client IDs). A dev job cannot
    # assume the prod role.
    condition {
      test     = "StringEquals"
      variable = "${local.ci_issuer}:aud"
      values   = ["sts.amazonaws.com/${var.environment}"]
    }
    # Only pipelines of this project on the protected default branch.
    condition {
      test     = "StringEquals"
      variable = "${local.ci_issuer}:sub"
      values   = ["project_path:${var.gitlab_project}:ref_type:branch:ref:main"]
    }
  }
}
{%- else %}

# ----------------------------------------------- deploy role (Jenkins OIDC)

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.ci.arn]
    }
    # The id token credential in Jenkins is created with this audience.
    condition {
      test     = "StringEquals"
      variable = "${local.ci_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    # The plugin's default subject is the job URL: only the main branch of this
    # service's multibranch pipeline.
    condition {
      test     = "StringEquals"
      variable = "${local.ci_issuer}:sub"
      values   = ["${var.jenkins_url}/job/${var.service_name}/job/main/"]
    }
  }
}
{%- endif %}

resource "aws_iam_role" "deploy" {
  name                 = "${local.name}-deploy"
  description          = "Assumed by {{ {'github': 'GitHub Actions', 'gitlab': 'GitLab CI', 'jenkins': 'Jenkins'}[cookiecutter.ci_provider] }} (OIDC) to push ${var.service_name} images in ${var.environment}."
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # this action has no resource-level permissions
  }
  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.service.arn]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "push-images"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
