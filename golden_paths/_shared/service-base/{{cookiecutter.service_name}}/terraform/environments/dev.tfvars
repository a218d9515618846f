# dev: its own AWS account, state bucket and EKS cluster.
environment           = "dev"
eks_cluster_name      = "platform-dev"
image_retention_count = 30
