# prod: its own AWS account, state bucket and EKS cluster.
environment           = "prod"
aws_account_id        = "{{ cookiecutter.aws_account_id_prod }}"
eks_cluster_name      = "platform-prod"
image_retention_count = 100
