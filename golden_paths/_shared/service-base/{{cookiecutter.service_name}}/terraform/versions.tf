terraform {
  # >= 1.10 (not 1.6): the S3 backend's native lock file (use_lockfile) needs it.
  required_version = ">= 1.10, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}
