#!/bin/sh
# Synthesizes the Conveyor stack with the pinned CDK CLI, offline: no AWS account or credentials needed (the
# stack is environment-agnostic). The template lands in target/cdk.out/Conveyor.template.json; cdk-nag's
# AwsSolutions report next to it, and any unsuppressed finding fails the synth.
#
#   infra/cdk/synth.sh [cdk synth options, e.g. -c conveyor:alertEmail=ops@example.com]
#
# Needs the module built: from the repository root,
#   mvn -B -q install -N && mvn -B -q install -pl emulators,shared,state-machines,functions -DskipTests
#   mvn -B -q package -pl infra/cdk -DskipTests
set -eu
cd "$(dirname "$0")"
CDK_CLI_VERSION=2.1148.1   # the npm `latest` (3.x) cannot read aws-cdk-lib 2.263's cloud assembly
for f in target/classes target/app.classpath target/lambda/conveyor-functions-lambda.jar; do
  if [ ! -e "$f" ]; then
    echo "synth.sh: $f is missing; build first (see the comment at the top of this script)" >&2
    exit 2
  fi
done
# Node 20 is past jsii's support date: without this every synth prints a large banner.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export CDK_DISABLE_CLI_TELEMETRY=true
exec npx --yes "aws-cdk@${CDK_CLI_VERSION}" synth --no-notices --no-version-reporting --quiet "$@"
