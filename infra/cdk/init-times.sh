#!/bin/sh
# Prints each catalogue handler's INIT time (class loading plus construction) in fresh JVMs, from the shaded
# Lambda jar. Build first: (cd ../.. && mvn -B -q install -DskipTests) or mvn -B verify -pl infra/cdk.
# Options: --runs N (default 5), --java PATH (default: this JVM; Lambda runs java25), --jvm-options "...", --jar PATH.
set -eu
cd "$(dirname "$0")"
if [ ! -f target/app.classpath ] || [ ! -d target/classes ]; then
  echo "target/ is not built: run 'mvn -B -q package -pl infra/cdk -DskipTests' from the repository root" >&2
  exit 2
fi
exec java -cp "target/classes:$(cat target/app.classpath)" io.conveyor.cdk.coldstart.InitTimes "$@"
