import json, sys  # noqa: E401  the five-line floor: what any boto3-based tool must at least do
import boto3
response = boto3.client("apigateway").get_stage(restApiId=sys.argv[1], stageName=sys.argv[2])
response.pop("ResponseMetadata")
print(json.dumps(response, indent=2, default=str))
