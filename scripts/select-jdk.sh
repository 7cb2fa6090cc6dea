# Sourced by .ci/run and ./jobstate: points JAVA_HOME at a JDK >= 21 when the current one is older
# or unset (the default java on some machines is 17; a newer JDK may sit under /usr/lib/jvm).

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java" 2>/dev/null || echo 0)" -lt 21 ] 2>/dev/null; then
  if command -v java >/dev/null && [ "$(java_major java)" -ge 21 ] 2>/dev/null; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  else
    for candidate in /usr/lib/jvm/*; do
      if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
        JAVA_HOME=$candidate
      fi
    done
  fi
  export JAVA_HOME
fi
