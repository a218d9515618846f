# dev: its own AWS account, state bucket and EKS cluster.
environment           = "dev"
aws_account_id        = "{{ cookiecutter.aws_account_id_dev }}"
eks_cluster_name      = "platform-dev"
image_retention_count = 30
