//! `cargo xtask contract`: the generated client against Prism mocks of every spec.
//!
//! Prism (npm `@stoplight/prism-cli`, pinned in `xtask/contract/package.json`) serves each spec
//! on 127.0.0.1 and validates every request against it. The client's contract tests call each
//! operation; they fail if Prism answers with an error or its response does not decode, and
//! this task fails if Prism logged any request violation.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Prism processes, stopped when dropped.
struct Mocks(Vec<(String, Child, PathBuf)>);

impl Drop for Mocks {
    fn drop(&mut self) {
        for (_, child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Installs the pinned Prism and returns its command.
pub fn install_prism(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("xtask/contract");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&tools)
        .status()
        .map_err(|error| format!("cannot run npm: {error}"))?;
    if !status.success() {
        return Err("npm could not install Prism".into());
    }
    Ok(tools.join("node_modules/.bin/prism"))
}

pub fn run(root: &Path) -> Result<(), String> {
    let prism = install_prism(root)?;
    let logs = root.join("target/contract");
    std::fs::create_dir_all(&logs).map_err(|error| format!("cannot create {}: {error}", logs.display()))?;

    let specs = crate::spec_files(root)?;
    let mut mocks = Mocks(Vec::new());
    let mut command = crate::cargo();
    command
        .args(["test", "-p", "generated-client", "--test", "contract", "--test", "operations", "--"])
        .arg("--include-ignored")
        .current_dir(root);
    for (index, spec) in specs.iter().enumerate() {
        let module = generator::names::value_name(&spec.file_stem().unwrap_or_default().to_string_lossy());
        let port = 4010 + index;
        let log = logs.join(format!("{module}.log"));
        let log_file = std::fs::File::create(&log)
            .map_err(|error| format!("cannot create {}: {error}", log.display()))?;
        let stderr = log_file.try_clone().map_err(|error| error.to_string())?;
        let child = Command::new(&prism)
            .args(["mock", "--errors", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(stderr))
            .spawn()
            .map_err(|error| format!("cannot start Prism: {error}"))?;
        mocks.0.push((module.clone(), child, log));
        wait_for_port(port)?;
        let url = format!("http://127.0.0.1:{port}");
        command.env(format!("CONTRACT_{}_URL", module.to_uppercase()), &url);
        // The generated per-operation tests (`tests/operations.rs`) read their own variable.
        command.env(generator::krate::mock_url_variable("generated-client", Some(&module)), &url);
        println!(
            "Prism serves specs/{} on 127.0.0.1:{port}",
            spec.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    let tests = command.status().map_err(|error| format!("cannot run cargo: {error}"))?;
    let mut violations = Vec::new();
    for (module, _, log) in &mocks.0 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        violations.extend(
            text.lines().filter(|line| line.contains("Violation")).map(|line| format!("{module}: {line}")),
        );
    }
    drop(mocks);
    for violation in &violations {
        println!("{violation}");
    }
    if !tests.success() {
        return Err("contract tests failed (Prism logs are in target/contract/)".into());
    }
    if !violations.is_empty() {
        return Err(format!("Prism reported {} request violations", violations.len()));
    }
    println!("every operation satisfies its spec, as Prism checks it");
    Ok(())
}

pub fn wait_for_port(port: usize) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if TcpStream::connect(("127.0.0.1", port as u16)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!("Prism did not start listening on port {port}"))
}
