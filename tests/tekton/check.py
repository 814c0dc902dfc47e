#!/usr/bin/env python3
"""Sluice's strict structural check of the Tekton files it emits.

Written from Tekton's API reference (tekton.dev/v1 Pipeline, PipelineRun,
the Task spec embedded in `taskSpec`), the Kubernetes core/v1 ConfigMap,
Volume, VolumeMount and EnvVar, and the manual-approval-gate ApprovalTask.
Only the fields Sluice may emit are allowed here, each a subset of the
API's; anything unknown, any missing required field, any reference that
does not resolve, any cycle is a finding. Zero findings to pass.

    check.py [--scripts DIR] FILE...

With --scripts, every step script is also written to DIR (for ShellCheck).
"""
import re
import sys

import yaml

LABEL = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
GO_DURATION = re.compile(r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
PARAM_REF = re.compile(r"\$\(params\.([A-Za-z0-9_.-]+)\)")
STATUS_REF = re.compile(r"^\$\(tasks\.([a-z0-9-]+)\.status\)$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

findings = []


def finding(where, message):
    findings.append(f"{where}: {message}")


def fields(where, obj, required, optional=()):
    """obj is a mapping with every required key and no unknown one."""
    if not isinstance(obj, dict):
        finding(where, f"expected a mapping, got {type(obj).__name__}")
        return False
    for key in required:
        if key not in obj:
            finding(where, f"missing required field `{key}`")
    for key in obj:
        if key not in required and key not in optional:
            finding(where, f"unknown field `{key}`")
    return True


def string(where, value):
    if not isinstance(value, str):
        finding(where, f"expected a string, got {value!r}")
        return False
    return True


def seq(where, value):
    if not isinstance(value, list):
        finding(where, f"expected a list, got {type(value).__name__}")
        return []
    return value


def label(where, value):
    if string(where, value) and not LABEL.match(value):
        finding(where, f"{value!r} is not a DNS-1123 label of at most 63 characters")


def duration(where, value):
    if not string(where, value) or not value or not GO_DURATION.match(value):
        finding(where, f"{value!r} is not a Go duration")
        return 0
    h, m, s = (int(g[:-1]) if g else 0 for g in GO_DURATION.match(value).groups())
    return h * 3600 + m * 60 + s


def metadata(where, meta, generate=False):
    names = ("generateName",) if generate else ("name",)
    if fields(where, meta, names, ("labels",)):
        for key in names:
            if key in meta:
                value = meta[key]
                label(f"{where}.{key}", value[:-1] if generate else value)
        for key, value in (meta.get("labels") or {}).items():
            string(f"{where}.labels.{key}", value)
            if isinstance(value, str) and not re.match(r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", value):
                finding(f"{where}.labels.{key}", f"{value!r} is not a label value")


def param_specs(where, specs):
    out = {}
    for i, spec in enumerate(seq(where, specs)):
        w = f"{where}[{i}]"
        if fields(w, spec, ("name",), ("type", "description", "default")):
            if spec.get("type", "string") != "string":
                finding(w, "Sluice declares only string params")
            if "default" in spec:
                string(f"{w}.default", spec["default"])
            if spec["name"] in out:
                finding(w, f"duplicate param `{spec['name']}`")
            out[spec.get("name")] = spec
    return out


def refs_in(text):
    return PARAM_REF.findall(text) if isinstance(text, str) else []


def no_expression(where, text, allowed_whole=()):
    """Text holds no Tekton `$(...)` except being exactly an allowed one."""
    if isinstance(text, str) and "$(" in text and text not in allowed_whole:
        finding(where, f"unexpected Tekton expression in {text!r}")


def check_task_spec(where, spec, given):
    if not fields(where, spec, ("steps",), ("params", "volumes")):
        return
    declared = param_specs(f"{where}.params", spec.get("params", []))
    if set(declared) != set(given):
        finding(where, f"params declared {sorted(declared)} but given {sorted(given)}")
    own = {f"$(params.{p})" for p in declared}
    volumes = set()
    for i, volume in enumerate(seq(f"{where}.volumes", spec.get("volumes", []))):
        w = f"{where}.volumes[{i}]"
        if fields(w, volume, ("name", "configMap")):
            label(f"{w}.name", volume["name"])
            if fields(f"{w}.configMap", volume["configMap"], ("name",)):
                configmaps_used.add(volume["configMap"]["name"])
            volumes.add(volume["name"])
    used = set()
    steps = seq(f"{where}.steps", spec["steps"])
    if not steps:
        finding(where, "a task needs at least one step")
    for i, step in enumerate(steps):
        w = f"{where}.steps[{i}]"
        if not fields(w, step, ("name", "image"), ("env", "volumeMounts", "script")):
            continue
        label(f"{w}.name", step["name"])
        no_expression(f"{w}.image", step["image"], own)
        used.update(refs_in(step["image"]))
        script = step.get("script", "")
        scripts.append(script)
        if string(f"{w}.script", script):
            if not script.startswith("#!"):
                finding(f"{w}.script", "no #! line")
            no_expression(f"{w}.script", script)
        names = set()
        for j, env in enumerate(seq(f"{w}.env", step.get("env", []))):
            v = f"{w}.env[{j}]"
            if fields(v, env, ("name", "value")):
                if not ENV_NAME.match(str(env["name"])) or env["name"] in names:
                    finding(v, f"bad or duplicate env name {env['name']!r}")
                names.add(env["name"])
                if string(f"{v}.value", env["value"]):
                    no_expression(f"{v}.value", env["value"], own)
                    used.update(refs_in(env["value"]))
        for j, mount in enumerate(seq(f"{w}.volumeMounts", step.get("volumeMounts", []))):
            v = f"{w}.volumeMounts[{j}]"
            if fields(v, mount, ("name", "mountPath"), ("readOnly",)):
                if mount["name"] not in volumes:
                    finding(v, f"mounts unknown volume {mount['name']!r}")
                if mount.get("readOnly") is not True:
                    finding(v, "the gate library is mounted read-only")
    for p in declared:
        if p not in used:
            finding(where, f"param `{p}` is never used")


APPROVAL = {"apiVersion": "openshift-pipelines.org/v1alpha1", "kind": "ApprovalTask"}


def check_pipeline_task(where, task, pipeline_params, is_finally):
    optional = ("runAfter", "when", "timeout", "params", "taskRef", "taskSpec")
    if not fields(where, task, ("name",), optional):
        return 0
    label(f"{where}.name", task["name"])
    if ("taskRef" in task) == ("taskSpec" in task):
        finding(where, "exactly one of taskRef and taskSpec")
    if is_finally and "runAfter" in task:
        finding(where, "a finally task cannot have runAfter")
    seconds = duration(f"{where}.timeout", task["timeout"]) if "timeout" in task else 3600
    whole = {f"$(params.{p})" for p in pipeline_params}
    given = {}
    for i, param in enumerate(seq(f"{where}.params", task.get("params", []))):
        w = f"{where}.params[{i}]"
        if fields(w, param, ("name", "value")):
            if param["name"] in given:
                finding(w, "duplicate param")
            given[param["name"]] = param["value"]
            values = param["value"] if isinstance(param["value"], list) else [param["value"]]
            for value in values:
                if string(f"{w}.value", value):
                    no_expression(f"{w}.value", value, whole)
    for i, when in enumerate(seq(f"{where}.when", task.get("when", []))):
        w = f"{where}.when[{i}]"
        if fields(w, when, ("input", "operator", "values")):
            if when["operator"] not in ("in", "notin"):
                finding(w, f"unknown operator {when['operator']!r}")
            for value in [when["input"]] + seq(f"{w}.values", when["values"]):
                if not string(w, value):
                    continue
                status = STATUS_REF.match(value)
                if status:
                    if not is_finally:
                        finding(w, "$(tasks.X.status) is only allowed in finally tasks")
                    status_refs.append((w, status.group(1)))
                else:
                    no_expression(w, value, whole)
    if "taskRef" in task:
        ref = task["taskRef"]
        if fields(f"{where}.taskRef", ref, ("apiVersion", "kind")) and ref != APPROVAL:
            finding(f"{where}.taskRef", f"unknown custom task {ref}")
        if set(given) != {"approvers", "numberOfApprovalsRequired", "description", "timeout"}:
            finding(where, f"ApprovalTask params are {sorted(given)}")
        approvers = given.get("approvers")
        if not isinstance(approvers, list) or not approvers:
            finding(where, "approvers must be a non-empty list")
        if not re.match(r"^[1-9][0-9]*$", str(given.get("numberOfApprovalsRequired"))):
            finding(where, "numberOfApprovalsRequired must be a positive number")
        duration(f"{where}.params.timeout", given.get("timeout"))
    if "taskSpec" in task:
        check_task_spec(f"{where}.taskSpec", task["taskSpec"], given)
    return seconds


def check_pipeline(where, doc):
    global status_refs
    status_refs = []
    if not fields(where, doc, ("apiVersion", "kind", "metadata", "spec")):
        return None
    metadata(f"{where}.metadata", doc["metadata"])
    spec = doc["spec"]
    if not fields(f"{where}.spec", spec, ("tasks",), ("params", "finally")):
        return None
    params = param_specs(f"{where}.spec.params", spec.get("params", []))
    tasks = seq(f"{where}.spec.tasks", spec["tasks"])
    finally_ = seq(f"{where}.spec.finally", spec.get("finally", []))
    names = {}
    limits = {}
    for group, is_finally in ((tasks, False), (finally_, True)):
        key = "finally" if is_finally else "tasks"
        for i, task in enumerate(group):
            w = f"{where}.spec.{key}[{i}]"
            limits[task.get("name")] = check_pipeline_task(w, task, params, is_finally)
            if task.get("name") in names:
                finding(w, f"duplicate task name {task.get('name')!r}")
            names[task.get("name")] = is_finally
    forward = {t.get("name"): t for t in tasks}
    for name, task in forward.items():
        for after in task.get("runAfter", []) or []:
            if after not in forward:
                finding(f"{where}: task {name}", f"runAfter unknown task {after!r}")
    for w, ref in status_refs:
        if ref not in forward:
            finding(w, f"$(tasks.{ref}.status) names no pipeline task")
    # cycles, and the longest chain of task limits
    state, finish = {}, {}

    def visit(name, path):
        if state.get(name) == "done":
            return finish[name]
        if state.get(name) == "active":
            finding(where, f"runAfter cycle: {' -> '.join(path + [name])}")
            return 0
        state[name] = "active"
        start = max([visit(a, path + [name]) for a in forward[name].get("runAfter", []) or [] if a in forward] or [0])
        state[name] = "done"
        finish[name] = start + limits.get(name, 3600)
        return finish[name]

    longest = max([visit(n, []) for n in forward] or [0])
    longest_finally = max([limits[t.get("name")] for t in finally_] or [0])
    return doc["metadata"].get("name"), params, longest, longest_finally


def check_run(where, doc, pipelines):
    if not fields(where, doc, ("apiVersion", "kind", "metadata", "spec")):
        return
    metadata(f"{where}.metadata", doc["metadata"], generate=True)
    spec = doc["spec"]
    if not fields(f"{where}.spec", spec, ("pipelineRef", "timeouts"), ("params",)):
        return
    if fields(f"{where}.spec.pipelineRef", spec["pipelineRef"], ("name",)):
        name = spec["pipelineRef"]["name"]
        if name not in pipelines:
            finding(where, f"pipelineRef names no Pipeline of the file: {name!r}")
            return
        _, params, longest, longest_finally = pipelines[name]
        given = set()
        for i, param in enumerate(seq(f"{where}.spec.params", spec.get("params", []))):
            w = f"{where}.spec.params[{i}]"
            if fields(w, param, ("name", "value")):
                string(f"{w}.value", param["value"])
                no_expression(f"{w}.value", param["value"])
                if param["name"] not in params:
                    finding(w, f"the Pipeline declares no param {param['name']!r}")
                given.add(param["name"])
        for p, param_spec in params.items():
            if "default" not in param_spec and p not in given:
                finding(where, f"required param {p!r} not given")
        t = spec["timeouts"]
        if fields(f"{where}.spec.timeouts", t, ("pipeline", "tasks", "finally")):
            total = duration(f"{where}.timeouts.pipeline", t["pipeline"])
            tasks = duration(f"{where}.timeouts.tasks", t["tasks"])
            fin = duration(f"{where}.timeouts.finally", t["finally"])
            if tasks + fin > total:
                finding(where, "timeouts: tasks + finally exceed pipeline")
            if tasks < longest:
                finding(where, f"timeouts.tasks {tasks}s is shorter than the longest chain of task timeouts {longest}s")
            if fin < longest_finally:
                finding(where, f"timeouts.finally {fin}s is shorter than the longest finally task {longest_finally}s")


def check_configmap(where, doc):
    if fields(where, doc, ("apiVersion", "kind", "metadata", "data")):
        metadata(f"{where}.metadata", doc["metadata"])
        configmaps_defined.add(doc["metadata"].get("name"))
        for key, value in doc["data"].items():
            string(f"{where}.data.{key}", value)


KINDS = {
    ("tekton.dev/v1", "Pipeline"),
    ("tekton.dev/v1", "PipelineRun"),
    ("v1", "ConfigMap"),
}
configmaps_used, configmaps_defined = set(), set()
scripts = []
status_refs = []


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "Generated by Sluice" not in "".join(text.splitlines(True)[:3]):
            finding(path, "no generated-file header")
        pipelines = {}
        for n, doc in enumerate(yaml.safe_load_all(text)):
            where = f"{path}#{n}"
            if doc is None:
                continue
            kind = (doc.get("apiVersion"), doc.get("kind"))
            if kind not in KINDS:
                finding(where, f"unexpected object {kind}")
            elif kind[1] == "Pipeline":
                result = check_pipeline(where, doc)
                if result:
                    pipelines[result[0]] = result
            elif kind[1] == "PipelineRun":
                check_run(where, doc, pipelines)
            else:
                check_configmap(where, doc)
    for name in sorted(configmaps_used - configmaps_defined):
        finding("volumes", f"ConfigMap {name!r} is used but not emitted")
    for line in findings:
        print(line)
    print(f"tekton check: {len(paths)} files, {len(findings)} findings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    dump = None
    if args[:1] == ["--scripts"]:
        dump, args = args[1], args[2:]
    code = main(args)
    if dump:
        for i, script in enumerate(sorted(set(scripts))):
            with open(f"{dump}/step-{i}.sh", "w", encoding="utf-8") as f:
                f.write(script)
    sys.exit(code)
