# Shared by the hook scripts. On a real host the app lives in /srv/sample-app; on a local
# codedeploy-gate instance, CODEDEPLOY_GATE_INSTANCE_ROOT is that instance's filesystem root.
APP_ROOT="${CODEDEPLOY_GATE_INSTANCE_ROOT:-}/srv/sample-app"
# Several local instances share one machine, so locally the app takes any free port.
if [ -n "${CODEDEPLOY_GATE_INSTANCE_ROOT:-}" ]; then APP_PORT=0; else APP_PORT="${PORT:-8080}"; fi
export APP_ROOT APP_PORT
