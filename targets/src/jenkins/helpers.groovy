// ---- Sluice's helpers: the same text in every generated Jenkinsfile ----
// Values from the source reach `sh` only through `withEnv`; every `sh`
// script below is a fixed single-quoted string. Commands and gate checks
// take an agent (`node`) only while they run: `input`, `sleep` and `lock`
// hold no executor.

// The commit being promoted becomes $SLUICE_VERSION; the gate library's
// start gate (`start`, the same in every target) checks it and an
// emergency run's reason; an emergency run then needs the approval of the
// emergency approvers.
def sluiceStart(String branch, List start, String approvers, String message) {
  if (branch != '' && env.BRANCH_NAME != null && env.BRANCH_NAME != branch) {
    error('sluice: this pipeline deploys from its source branch only')
  }
  node(params.agent_label) {
    checkout scm
    env.SLUICE_VERSION = sh(script: 'git rev-parse HEAD', returnStdout: true).trim()
    List inputs = [
      'SLUICE_EMERGENCY=' + (params.emergency ? 'true' : 'false'),
      'SLUICE_REASON=' + (params.reason == null ? '' : params.reason),
    ]
    withEnv(inputs) {
      if (sluiceGatesHere(start, false) != 0) {
        error('sluice: the start gate refused the run (its message is above)')
      }
    }
  }
  if (approvers != '' && params.emergency) {
    input(message: message, ok: 'Approve', submitter: approvers)
  }
}

// Runs the gate library with `args` on this agent; its exit status, or
// its output when `output` (then a failure fails the step).
def sluiceGatesHere(List args, boolean output) {
  List vars = []
  String script = 'sh jenkins/sluice-gates.sh'
  for (int i = 0; i < args.size(); i++) {
    vars.add('SLUICE_ARG_' + (i + 1) + '=' + args[i])
    script = script + ' "$SLUICE_ARG_' + (i + 1) + '"'
  }
  def result = null
  withEnv(vars) {
    if (output) {
      result = sh(script: script, returnStdout: true)
    } else {
      result = sh(script: script, returnStatus: true)
    }
  }
  return result
}

// Fails when one of the alarms (`--alarm NAME PROVIDER TEXT`...) fires.
def sluiceCheck(List alarms) {
  if (sluiceGatesHere(['blockers'] + alarms, false) != 0) {
    error('sluice: an alarm fires')
  }
}

// A deploy, step or rollback: the command, with the rollback alarms
// checked before and after it, within `seconds` (0: no limit).
def sluiceRun(String name, String command, List alarms, int seconds) {
  echo('sluice: ' + name)
  Closure body = {
    node(params.agent_label) {
      checkout scm
      if (alarms.size() > 0) {
        sluiceCheck(alarms)
      }
      withEnv(['SLUICE_COMMAND=' + command]) {
        sh 'sh -c "$SLUICE_COMMAND"'
      }
      if (alarms.size() > 0) {
        sluiceCheck(alarms)
      }
    }
  }
  if (seconds > 0) {
    timeout(time: seconds, unit: 'SECONDS') {
      body()
    }
  } else {
    body()
  }
}

// A bake: polls the alarms (and counts datapoints) every `poll` seconds,
// each poll on an agent for a moment, sleeping without one in between;
// the emergency arguments in an emergency run.
def sluiceBake(String name, List normal, List emergency, int poll) {
  List args = normal
  if (params.emergency && emergency != null) {
    args = emergency
  }
  echo('sluice: ' + name)
  String started = ''
  while (true) {
    String state = ''
    node(params.agent_label) {
      checkout scm
      if (started == '') {
        started = sh(script: 'date +%s', returnStdout: true).trim()
      }
      state = sluiceGatesHere(args + ['--chunk', '1s', '--started-at', started], true).trim()
    }
    if (state == 'done') {
      return
    }
    if (state != 'continue') {
      error('sluice: ' + name + ': the gate library said ' + state)
    }
    sleep(time: poll, unit: 'SECONDS')
  }
}

// Waits for the window (at most 7 days), checking it on an agent for at
// most a minute at a time and sleeping 5 minutes without one in between.
def sluiceWindow(String name, List args) {
  echo('sluice: window ' + name)
  for (int i = 0; i < 2016; i++) {
    int status = 1
    node(params.agent_label) {
      checkout scm
      status = sluiceGatesHere(args, false)
    }
    if (status == 0) {
      return
    }
    if (status != 1) {
      error('sluice: window ' + name + ': the gate library failed')
    }
    sleep(time: 5, unit: 'MINUTES')
  }
  error('sluice: window ' + name + ' stayed closed for 7 days')
}

// Fails while a blocker fires; an emergency run skips them when allowed.
def sluiceBlockers(List args, boolean overridable) {
  if (overridable && params.emergency) {
    echo('sluice: emergency run: blockers overridden')
    return
  }
  node(params.agent_label) {
    checkout scm
    if (sluiceGatesHere(args, false) != 0) {
      error('sluice: a blocker fires')
    }
  }
}

// A manual approval by one of `submitter` (comma-separated), within
// `seconds` (0: no limit). Holds no executor.
def sluiceApproval(String message, String submitter, int seconds) {
  if (seconds > 0) {
    timeout(time: seconds, unit: 'SECONDS') {
      input(message: message, ok: 'Approve', submitter: submitter)
    }
  } else {
    input(message: message, ok: 'Approve', submitter: submitter)
  }
}
