# prod: its own AWS account, state bucket and EKS cluster.
environment           = "prod"
eks_cluster_name      = "platform-prod"
image_retention_count = 100
