// A test harness that runs generated Jenkinsfiles without Jenkins
// (targets/tests/jenkins.rs). It defines the declarative DSL and the steps
// the Jenkinsfiles use as recording functions, interprets the stage
// structure (stages in order, `parallel` branches one after another, each
// failure running the stage's `post { failure }` and failing the run), and
// runs every `sh` script with the real /bin/sh, where `sh`, `git` on the
// PATH are stubs (bin/ beside this file's cases) that record the commands
// and gate-library calls. Test code only: Sluice never needs it.
//
//   groovy harness.groovy CASE_DIR...
//
// Each CASE_DIR holds `Jenkinsfile`, `case.properties` (params.*, and
// fake.* for the stubs) and gets `trace.txt`: one event per line, fields
// separated by tabs, texts from the Jenkinsfile in hex (UTF-8).

import org.codehaus.groovy.control.CompilerConfiguration

class Failure extends RuntimeException {
  Failure(String message) { super(message) }
}

class Collector {
  def agent
  Closure options, steps, post, stages, parallel, parameters
  void agent(x) { agent = x }
  void options(Closure c) { options = c }
  void steps(Closure c) { steps = c }
  void post(Closure c) { post = c }
  void stages(Closure c) { stages = c }
  void parallel(Closure c) { parallel = c }
  void parameters(Closure c) { parameters = c }
  void environment(Closure c) { throw new Failure('environment is not used') }
}

class StageList {
  List entries = []
  void stage(String name, Closure body) { entries << [name, body] }
}

class OptionList {
  List locks = []
  List timeouts = []
  void lock(Map m) {
    locks << m.resource
    m.extra?.each { locks << it.resource }
  }
  void lock(String name) { locks << name }
  void skipDefaultCheckout() {}
  void timeout(Map m) { timeouts << m }
}

class PostList {
  Closure failure, always
  void failure(Closure c) { failure = c }
  void always(Closure c) { always = c }
}

class ParamList {
  List defined = []
  void string(Map m) { defined << ['string', m.name, m.defaultValue] }
  void booleanParam(Map m) { defined << ['boolean', m.name, m.defaultValue] }
}

abstract class JenkinsScript extends Script {
  Map params = [:]
  Map env = [:]
  List trace = []
  List envStack = []
  Map fake = [:]
  File traceFile
  File bin
  File work
  def scm = 'scm'
  def none = 'none'

  static String hex(Object o) {
    String s = o == null ? '' : o.toString()
    StringBuilder b = new StringBuilder()
    for (byte x : s.getBytes('UTF-8')) {
      b.append(String.format('%02x', x & 0xff))
    }
    return b.toString()
  }

  // fields, not binding variables (Script.setProperty writes the binding)
  void setup(File work, File bin, File traceFile) {
    this.work = work
    this.bin = bin
    this.traceFile = traceFile
  }

  void rec(Object... fields) { trace << fields.collect { it.toString() }.join('\t') }

  def collect(Closure c, Object into) {
    Closure copy = c.rehydrate(into, c.owner, c.thisObject)
    copy.resolveStrategy = Closure.DELEGATE_FIRST
    copy.call()
    return into
  }

  // ---- declarative ----
  def pipeline(Closure body) {
    Collector p = collect(body, new Collector())
    rec('agent', p.agent instanceof String ? p.agent : 'closure')
    if (p.parameters) {
      ParamList list = collect(p.parameters, new ParamList())
      list.defined.each { kind, name, value ->
        rec('parameter', kind, name)
        if (!params.containsKey(name)) {
          params[name] = kind == 'boolean' ? value : value
        }
      }
    }
    try {
      runStages(p.stages)
      rec('result', 'SUCCESS')
    } catch (Throwable t) {
      rec('result', 'FAILURE', hex(t.message))
    }
  }

  void runStages(Closure body) {
    StageList list = collect(body, new StageList())
    for (entry in list.entries) {
      runStage(entry[0], entry[1])
    }
  }

  void runParallel(Closure body) {
    StageList list = collect(body, new StageList())
    rec('parallel-begin', list.entries.collect { hex(it[0]) }.join(','))
    Throwable failed = null
    for (entry in list.entries) {
      try {
        runStage(entry[0], entry[1])
      } catch (Throwable t) {
        if (failed == null) failed = t
      }
    }
    rec('parallel-end')
    if (failed != null) throw failed
  }

  void runStage(String name, Closure body) {
    Collector s = collect(body, new Collector())
    if (s.agent != null) throw new Failure('a stage has an agent: ' + name)
    List locks = []
    if (s.options) {
      OptionList o = collect(s.options, new OptionList())
      locks = o.locks
    }
    rec('stage-begin', hex(name))
    if (locks) rec('lock', locks.collect { hex(it) }.join(','))
    try {
      if (s.steps) s.steps.call()
      if (s.stages) runStages(s.stages)
      if (s.parallel) runParallel(s.parallel)
      rec('stage-end', hex(name), 'ok')
    } catch (Throwable t) {
      rec('stage-end', hex(name), 'failed')
      if (s.post) {
        PostList p = collect(s.post, new PostList())
        if (p.failure) {
          rec('post-failure', hex(name))
          p.failure.call()
        }
      }
      throw t
    } finally {
      if (locks) rec('unlock', locks.collect { hex(it) }.join(','))
    }
  }

  // ---- steps ----
  def script(Closure c) { c.call() }

  def node(String label, Closure c) {
    rec('node', hex(label))
    try {
      c.call()
    } finally {
      rec('node-end')
    }
  }

  def checkout(x) {}

  def withEnv(List vars, Closure c) {
    envStack.push(vars)
    try {
      c.call()
    } finally {
      envStack.pop()
    }
  }

  def echo(String s) { rec('echo', hex(s)) }

  def error(String s) {
    rec('error', hex(s))
    throw new Failure(s)
  }

  def input(Map m) {
    rec('input', hex(m.message), hex(m.submitter))
    if (fake['deny'] != null && m.message.contains(fake['deny'])) {
      throw new Failure('input rejected')
    }
  }

  def timeout(Map m, Closure c) {
    rec('timeout', m.time, m.unit)
    c.call()
  }

  def sleep(Map m) { rec('sleep', m.time, m.unit) }

  def sh(String script) { sh([script: script]) }

  def sh(Map m) {
    if (!bin) throw new Failure('no bin')
    ProcessBuilder pb = new ProcessBuilder('/bin/sh', '-c', m.script)
    pb.directory(work)
    Map e = pb.environment()
    env.each { k, v -> if (v != null) e.put(k.toString(), v.toString()) }
    for (vars in envStack) {
      for (String v in vars) {
        int at = v.indexOf('=')
        e.put(v.substring(0, at), v.substring(at + 1))
      }
    }
    e.put('PATH', bin.absolutePath + ':' + System.getenv('PATH'))
    e.put('SLUICE_TRACE', traceFile.absolutePath)
    fake.each { k, v -> e.put('FAKE_' + k.toUpperCase(), v) }
    pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(work, 'stderr.txt')))
    Process p = pb.start()
    String out = new String(p.inputStream.readAllBytes(), 'UTF-8')
    int code = p.waitFor()
    List tokens = new String(traceFile.bytes, 'UTF-8').split('\u0000', -1) as List
    int at = 0
    while (at + 1 < tokens.size()) {
      String kind = tokens[at]
      int count = tokens[at + 1] as int
      rec(([kind] + tokens.subList(at + 2, at + 2 + count).collect { hex(it) }) as Object[])
      at += 2 + count
    }
    traceFile.bytes = new byte[0]
    if (m.returnStatus) return code
    if (code != 0) throw new Failure('sh exited ' + code)
    if (m.returnStdout) return out
    return null
  }
}

for (String dir in args) {
  File caseDir = new File(dir)
  Properties props = new Properties()
  caseDir.toPath().resolve('case.properties').withReader('UTF-8') { props.load(it) }
  CompilerConfiguration config = new CompilerConfiguration()
  config.scriptBaseClass = JenkinsScript.name
  GroovyShell shell = new GroovyShell(this.class.classLoader, new Binding(), config)
  JenkinsScript script = (JenkinsScript) shell.parse(new File(caseDir, 'Jenkinsfile').getText('UTF-8'), 'Jenkinsfile')
  props.each { k, v ->
    if (k.startsWith('params.')) {
      String name = k.substring(7)
      script.params[name] = (v == 'true' || v == 'false') ? v.toBoolean() : v
    } else if (k.startsWith('fake.')) {
      script.fake[k.substring(5)] = v
    }
  }
  File calls = new File(caseDir, 'calls.txt')
  calls.text = ''
  script.setup(caseDir, new File(caseDir.absoluteFile.parentFile, 'bin'), calls)
  if (props['parse.only'] == 'true') {
    // parsing compiled every method to bytecode: the JVM's limits held
    new File(caseDir, 'trace.txt').text = 'parsed\n'
    continue
  }
  script.run()
  new File(caseDir, 'trace.txt').withWriter('UTF-8') { w -> script.trace.each { w.write(it + '\n') } }
}
