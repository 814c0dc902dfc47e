"""Conformance of Sluice's Argo Workflows output (tests/conformance.sh).

Loads every WorkflowTemplate and Workflow into Hera's generated models of
the Argo API (PyPI `hera`, pinned) made strict: every model forbids unknown
fields, so a misspelt or removed field (the singular `mutex`) is a finding.
Then Sluice's own checks: names are DNS-1123 labels, every template a task
names exists, every task a `depends` names exists, no cycles, the ConfigMap
the volumes mount is emitted, and no `{{` reaches a script's text. With
--scripts DIR, writes every script's source there for ShellCheck.

Usage: check.py [--scripts DIR] FILE...
"""

import importlib
import inspect
import os
import pkgutil
import re
import sys

import pydantic
import yaml

DNS = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
OWN = {"workflow.parameters.version", "workflow.parameters.emergency",
       "workflow.parameters.reason", "workflow.parameters.image",
       "inputs.parameters.started-at", "inputs.parameters.chunk"}


def strict_models():
    """Every Hera model class, switched to `extra = forbid`."""
    classes = set()
    root = importlib.import_module("hera.workflows.models")
    for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, pydantic.BaseModel) and obj.__module__.startswith("hera."):
                classes.add(obj)
    for cls in classes:
        cls.model_config["extra"] = "forbid"
    # a model's schema embeds its fields' schemas as they were when it was
    # built: rebuild until every level of nesting sees `forbid`
    for _ in range(16):
        for cls in classes:
            cls.model_rebuild(force=True)
    return len(classes)


def own_checks(path, doc, configmaps, problems, scripts):
    spec = doc.get("spec", {})
    name = doc["metadata"].get("name") or doc["metadata"].get("generateName", "x-")[:-1]
    if not DNS.match(name) or len(name) > 57:
        problems.append(f"{path}: bad name {name!r}")
    for volume in spec.get("volumes", []):
        if volume.get("configMap", {}).get("name") not in configmaps:
            problems.append(f"{path}: volume {volume['name']} mounts a ConfigMap not emitted")
    templates = {t["name"]: t for t in spec.get("templates", [])}
    if doc["kind"] == "WorkflowTemplate" and spec.get("entrypoint") not in templates:
        problems.append(f"{path}: entrypoint missing")
    for tname, template in templates.items():
        if not DNS.match(tname):
            problems.append(f"{path}: template name {tname!r} is no DNS-1123 label")
        script = template.get("script")
        if script:
            source = script["source"]
            if "{{" in source:
                problems.append(f"{path}: {tname}: `{{{{` in script text")
            for env in script.get("env", []):
                for ref in re.findall(r"\{\{([^}]*)\}\}", env.get("value", "")):
                    if ref not in OWN:
                        problems.append(f"{path}: {tname}: env {env['name']} expands {ref!r}")
            if scripts is not None:
                out = os.path.join(scripts, f"{os.path.basename(path)}-{tname}.sh")
                with open(out, "w") as f:
                    f.write("#!/bin/sh\n" + source)
        tasks = template.get("dag", {}).get("tasks", [])
        names = {t["name"] for t in tasks}
        graph = {}
        for task in tasks:
            if not DNS.match(task["name"]):
                problems.append(f"{path}: task name {task['name']!r} is no DNS-1123 label")
            if task["template"] not in templates:
                problems.append(f"{path}: {task['name']}: no template {task['template']}")
            refs = set(re.findall(r"([a-z0-9][-a-z0-9]*)(?:\.[A-Z][a-z]+)?", task.get("depends", "")))
            for ref in refs:
                if ref not in names:
                    problems.append(f"{path}: {task['name']} depends on unknown {ref}")
            graph[task["name"]] = refs
        state = {}

        def visit(node):
            if state.get(node) == 1:
                problems.append(f"{path}: {tname}: a cycle through {node}")
                return
            if state.get(node) == 2:
                return
            state[node] = 1
            for nxt in graph.get(node, ()):
                visit(nxt)
            state[node] = 2

        for node in graph:
            visit(node)


def main(argv):
    scripts = None
    if argv[:1] == ["--scripts"]:
        scripts, argv = argv[1], argv[2:]
    count = strict_models()
    from hera.workflows.models import Workflow, WorkflowTemplate

    kinds = {"WorkflowTemplate": WorkflowTemplate, "Workflow": Workflow}
    docs = []
    for path in argv:
        with open(path) as f:
            docs.extend((path, d) for d in yaml.safe_load_all(f) if d is not None)
    configmaps = {d["metadata"]["name"] for _, d in docs if d.get("kind") == "ConfigMap"}
    templates = {d["metadata"]["name"] for _, d in docs if d.get("kind") == "WorkflowTemplate"}
    problems = []
    for path, doc in docs:
        kind = doc.get("kind")
        if kind == "ConfigMap":
            data = doc.get("data", {})
            if doc.get("apiVersion") != "v1" or not set(doc) <= {"apiVersion", "kind", "metadata", "data"} \
                    or not all(isinstance(v, str) for v in data.values()):
                problems.append(f"{path}: ConfigMap has an unexpected shape")
            continue
        model = kinds.get(kind)
        if model is None:
            problems.append(f"{path}: unexpected kind {kind!r}")
            continue
        try:
            model.model_validate(doc)
        except pydantic.ValidationError as error:
            problems.append(f"{path}: {kind}: {error}")
        if kind == "Workflow" and doc["spec"]["workflowTemplateRef"]["name"] not in templates:
            problems.append(f"{path}: the Workflow submits an unknown WorkflowTemplate")
        own_checks(path, doc, configmaps, problems, scripts)
    for problem in problems:
        print(problem)
    print(f"argo check: {len(docs)} objects, strict Hera models ({count} classes): "
          f"{len(problems)} finding(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
