# staging: its own AWS account, state bucket and EKS cluster.
environment           = "staging"
aws_account_id        = "{{ cookiecutter.aws_account_id_staging }}"
eks_cluster_name      = "platform-staging"
image_retention_count = 50
