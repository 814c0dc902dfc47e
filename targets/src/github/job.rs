//! One GitHub Actions job, and its YAML.

use crate::emit::yaml::{Map, Yaml};

/// `actions/checkout` v4.2.2, pinned by commit.
pub const CHECKOUT: &str = "actions/checkout@11bf71901bbe5b1630ceea73d27597364c9af683";
pub const CHECKOUT_VERSION: &str = "v4.2.2";
pub const RUNNER: &str = "ubuntu-24.04";

/// The condition of a job that must run even though an ancestor was
/// skipped (the emergency approval of a normal run), but not after a
/// failure or a cancellation.
pub const NO_FAILURE: &str = "${{ !cancelled() && !failure() }}";

/// The condition of a rollback job: some unit of its region failed. Its
/// `needs` are every job of the region, so a failure several jobs before
/// the last one is seen too.
pub const ON_FAILURE: &str = "${{ always() && contains(needs.*.result, 'failure') }}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `permissions: {}`
    None,
    /// `contents: read`, for the checkout.
    Contents,
    /// `actions: read`, to read the environments' protection, and
    /// `contents: read`: the preflight checks the environments and runs
    /// the start gate of the checked-out gate library.
    ActionsAndContents,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub name: String,
    pub needs: Vec<String>,
    pub condition: Option<String>,
    pub environment: Option<String>,
    pub access: Access,
    pub timeout_minutes: Option<u64>,
    /// `env` of the job: names and GitHub expressions written by the
    /// emitter, never text of the source.
    pub env: Vec<(String, String)>,
    /// `outputs` of the job, from the step with id `main`.
    pub outputs: Vec<String>,
    pub checkout: bool,
    pub steps: Vec<RunStep>,
}

/// A `run:` step.
#[derive(Debug, Clone)]
pub struct RunStep {
    pub name: String,
    pub script: String,
    pub timeout_minutes: Option<u64>,
}

impl Job {
    pub fn new(id: String, name: String, needs: Vec<String>) -> Job {
        Job {
            id,
            name,
            needs,
            condition: None,
            environment: None,
            access: Access::Contents,
            timeout_minutes: None,
            env: Vec::new(),
            outputs: Vec::new(),
            checkout: true,
            steps: Vec::new(),
        }
    }

    /// A job of one step named like the job.
    pub fn script(&mut self, script: String) {
        self.steps = vec![RunStep {
            name: self.name.clone(),
            script,
            timeout_minutes: None,
        }];
    }

    pub fn to_yaml(&self) -> Yaml {
        let mut job = Map::new().with("name", self.name.as_str());
        if !self.needs.is_empty() {
            job.push(
                "needs",
                Yaml::Seq(self.needs.iter().map(|n| Yaml::from(n.as_str())).collect()),
            );
        }
        if let Some(condition) = &self.condition {
            job.push("if", condition.as_str());
        }
        job.push("runs-on", RUNNER);
        if let Some(environment) = &self.environment {
            job.push("environment", environment.as_str());
        }
        job.push(
            "permissions",
            match self.access {
                Access::None => Map::new(),
                Access::Contents => Map::new().with("contents", "read"),
                Access::ActionsAndContents => Map::new()
                    .with(
                        "actions",
                        Yaml::Commented(
                            "read".to_string(),
                            "to check the environments' protection rules".to_string(),
                        ),
                    )
                    .with("contents", "read"),
            },
        );
        if let Some(minutes) = self.timeout_minutes {
            job.push("timeout-minutes", Yaml::Int(minutes));
        }
        if !self.outputs.is_empty() {
            let mut outputs = Map::new();
            for name in &self.outputs {
                outputs.push(name, format!("${{{{ steps.main.outputs.{name} }}}}"));
            }
            job.push("outputs", outputs);
        }
        if !self.env.is_empty() {
            let mut env = Map::new();
            for (name, value) in &self.env {
                env.push(name, value.as_str());
            }
            job.push("env", env);
        }
        let mut steps = Vec::new();
        if self.checkout {
            steps.push(Yaml::from(
                Map::new()
                    .with("name", "Check out the commit being promoted")
                    .with(
                        "uses",
                        Yaml::Commented(CHECKOUT.to_string(), CHECKOUT_VERSION.to_string()),
                    )
                    .with(
                        "with",
                        Map::new().with("persist-credentials", Yaml::Bool(false)),
                    ),
            ));
        }
        for step in &self.steps {
            let mut run = Map::new();
            if !self.outputs.is_empty() {
                run.push("id", "main");
            }
            run.push("name", step.name.as_str());
            if let Some(minutes) = step.timeout_minutes {
                run.push("timeout-minutes", Yaml::Int(minutes));
            }
            run.push("run", step.script.as_str());
            steps.push(run.into());
        }
        job.push("steps", Yaml::Seq(steps));
        job.into()
    }
}

/// Whole minutes, rounded up.
pub fn minutes(seconds: u64) -> u64 {
    seconds.div_ceil(60).max(1)
}
