"""Lab: a customer managed KMS key for ML workloads.

The study page's snippet creates the key. Complete it: turn on automatic rotation and give the
key the alias alias/ml-workloads, so that everything else (SageMaker, Secrets Manager, CloudTrail)
can name the key by its alias.
This runs against trainer's simulated AWS: boto3 needs no credentials or endpoint here.
"""

import boto3

kms = boto3.client("kms")

response = kms.create_key(
    Description="Key for ML workloads",
    KeyUsage="ENCRYPT_DECRYPT",
    Tags=[{"TagKey": "Project", "TagValue": "ML"}],
)

key_id = response["KeyMetadata"]["KeyId"]
print("created key", key_id)

# TODO: turn on automatic rotation of the key material, e.g.
# kms.enable_key_rotation(KeyId=key_id)

# TODO: name the key alias/ml-workloads, e.g.
# kms.create_alias(AliasName=..., TargetKeyId=key_id)

# TODO (optional): prove it works by encrypting and decrypting through the alias:
# ciphertext = kms.encrypt(KeyId="alias/ml-workloads", Plaintext=b"hello")["CiphertextBlob"]
# print(kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"])
