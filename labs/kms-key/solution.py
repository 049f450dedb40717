"""Reference solution: the ML workloads key (idempotent: safe to run twice)."""

import boto3

ALIAS = "alias/ml-workloads"

kms = boto3.client("kms")

# A second run finds the key through its alias instead of making another one.
try:
    key_id = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"]
except kms.exceptions.NotFoundException:
    response = kms.create_key(
        Description="Key for ML workloads",
        KeyUsage="ENCRYPT_DECRYPT",
        Tags=[{"TagKey": "Project", "TagValue": "ML"}],
    )
    key_id = response["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=ALIAS, TargetKeyId=key_id)

kms.enable_key_rotation(KeyId=key_id)

ciphertext = kms.encrypt(KeyId=ALIAS, Plaintext=b"hello, ML")["CiphertextBlob"]
plaintext = kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"]
print(f"key {key_id} ({ALIAS}) round trip:", plaintext.decode())
