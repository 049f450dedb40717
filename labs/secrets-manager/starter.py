"""Lab: database credentials in Secrets Manager.

Store the credentials as the secret "ml/database-credentials", encrypted with the customer
managed key alias/ml-workloads (the lab's setup made it), then read them back and parse them as
the study page does, without printing the password.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import json

import boto3

secrets_client = boto3.client("secretsmanager")

# Create secret (the study page's snippet)
secrets_client.create_secret(
    Name="ml/database-credentials",
    SecretString=json.dumps({"username": "admin", "password": "secret123"}),
    # TODO: encrypt with your own key instead of the default aws/secretsmanager key:
    # KmsKeyId=...
)

# Retrieve secret
response = secrets_client.get_secret_value(SecretId="ml/database-credentials")
credentials = json.loads(response["SecretString"])

# TODO: never print a secret. Show that reading worked without revealing the password.
print("read back:", credentials)
