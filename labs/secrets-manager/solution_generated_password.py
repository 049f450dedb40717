"""Reference solution, the way to do it in a real account: let Secrets Manager generate the
password (so it never sits in source code) and name the key by its ARN. Idempotent."""

import json

import boto3

secrets_client = boto3.client("secretsmanager")
kms = boto3.client("kms")

NAME = "ml/database-credentials"
# Any form names the key: alias, alias ARN, key id or key ARN.
key_arn = kms.describe_key(KeyId="alias/ml-workloads")["KeyMetadata"]["Arn"]

try:
    password = secrets_client.get_random_password(PasswordLength=32, ExcludePunctuation=True)[
        "RandomPassword"
    ]
    secrets_client.create_secret(
        Name=NAME,
        Description="Training database credentials",
        SecretString=json.dumps({"username": "ml_trainer", "password": password}),
        KmsKeyId=key_arn,
    )
except secrets_client.exceptions.ResourceExistsException:
    # Keep the existing password; make sure the customer managed key protects it.
    secrets_client.update_secret(SecretId=NAME, KmsKeyId=key_arn)

credentials = json.loads(secrets_client.get_secret_value(SecretId=NAME)["SecretString"])
print(f"read {NAME} for user {credentials['username']} (password not shown)")
