# Partial configuration: bucket, key and region come from
# environments/<env>.s3.tfbackend, so each environment has its own state:
#   terraform init -backend-config=environments/dev.s3.tfbackend
terraform {
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
