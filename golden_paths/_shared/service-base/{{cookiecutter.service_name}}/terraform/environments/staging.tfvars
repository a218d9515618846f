# staging: its own AWS account, state bucket and EKS cluster.
environment           = "staging"
eks_cluster_name      = "platform-staging"
image_retention_count = 50
