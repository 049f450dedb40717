"""Reference solution: database credentials in Secrets Manager (idempotent: safe to run twice)."""

import json

import boto3

secrets_client = boto3.client("secretsmanager")

NAME = "ml/database-credentials"
KEY = "alias/ml-workloads"  # the customer managed key, not the default aws/secretsmanager
secret_string = json.dumps({"username": "admin", "password": "secret123"})

try:
    secrets_client.create_secret(Name=NAME, SecretString=secret_string, KmsKeyId=KEY)
except secrets_client.exceptions.ResourceExistsException:
    # A second run: make the existing secret match (value and key) instead of failing.
    secrets_client.update_secret(SecretId=NAME, SecretString=secret_string, KmsKeyId=KEY)

response = secrets_client.get_secret_value(SecretId=NAME)
credentials = json.loads(response["SecretString"])

# Say what was read, never the password itself.
print(f"read {NAME} for user {credentials['username']} (password not shown)")
