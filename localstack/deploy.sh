#!/bin/sh
# Deploys the Conveyor CDK app to a running LocalStack and prints the job API's URL: the last line of stdout
# (everything else goes to stderr). The Testcontainers suite deploys through this script too.
#
#   localstack/deploy.sh [more cdk deploy options, e.g. -c conveyor:maxActiveJobsPerUser=2]
#
# Needs LocalStack (docker compose -f localstack/compose.yaml up -d --wait), Node 20+ with npx (the pinned CDK CLI
# and cdklocal come from npm), and the CDK app built, from the repository root:
#   mvn -B -q package -pl infra/cdk -am -DskipTests
# Environment: LOCALSTACK_ENDPOINT (default http://localhost:4566), CONVEYOR_OUTPUTS_FILE (the stack's outputs as
# JSON; default infra/cdk/target/localstack-outputs.json).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cdk_dir="$here/../infra/cdk"
endpoint=${LOCALSTACK_ENDPOINT:-http://localhost:4566}
endpoint=${endpoint%/}
outputs=${CONVEYOR_OUTPUTS_FILE:-$cdk_dir/target/localstack-outputs.json}
case "$outputs" in /*) ;; *) outputs="$PWD/$outputs" ;; esac
CDK_CLI_VERSION=2.1148.1    # the npm `latest` (3.x) cannot read aws-cdk-lib 2.263's cloud assembly
CDK_LOCAL_VERSION=3.0.4     # cdklocal: the CDK CLI with LocalStack's endpoints

for f in target/classes target/app.classpath target/lambda/conveyor-functions-lambda.jar; do
  if [ ! -e "$cdk_dir/$f" ]; then
    echo "deploy.sh: infra/cdk/$f is missing; build first: mvn -B -q package -pl infra/cdk -am -DskipTests" >&2
    exit 2
  fi
done

# LocalStack's fixed test account, any credentials, one region: the bootstrap bucket and every ARN use them.
export AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export CDK_DEFAULT_ACCOUNT=000000000000 CDK_DEFAULT_REGION=us-east-1
# Asset uploads by path, not bucket.<host>: an endpoint such as 127.0.0.1:<port> has no per-bucket host names.
export AWS_S3_FORCE_PATH_STYLE=1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_CLI_TELEMETRY=true

cdklocal() {
  npx --yes -p "aws-cdk@$CDK_CLI_VERSION" -p "aws-cdk-local@$CDK_LOCAL_VERSION" cdklocal "$@"
}

cd "$cdk_dir"
cdklocal bootstrap --no-notices aws://000000000000/us-east-1 >&2
# auth=devToken: the free image has no Cognito and enforces no IAM, so callers name themselves with
#   Authorization: Bearer <user> (development only, never for a real account).
# lambdaRuntime=java21: LocalStack's SnapStart check knows java21 for certain; java25 is newer than some images.
# retainData=false: tables, buckets and logs go with the stack (no deletion protection to undo between runs).
# apiGatewayCloudWatchRole=false: no account-level API Gateway logging role to set on an emulator.
cdklocal deploy Conveyor --no-notices --require-approval never --outputs-file "$outputs" \
  -c conveyor:auth=devToken \
  -c conveyor:lambdaRuntime=java21 \
  -c conveyor:retainData=false \
  -c conveyor:apiGatewayCloudWatchRole=false \
  "$@" >&2

# The ApiUrl output is AWS's https://<id>.execute-api.<region>.amazonaws.com/<stage>/; LocalStack serves the same
# stage on its gateway at /restapis/<id>/<stage>/_user_request_/, which needs no DNS.
node -e '
  const api = new URL(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Conveyor.ApiUrl);
  const id = api.hostname.split(".")[0];
  const stage = api.pathname.split("/").filter(Boolean)[0];
  console.log(`${process.argv[2]}/restapis/${id}/${stage}/_user_request_/`);
' "$outputs" "$endpoint"
