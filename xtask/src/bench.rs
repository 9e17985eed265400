//! `cargo xtask bench [--json]`: time and memory of the generator on large specs.
//!
//! Each spec is measured in two child processes of its own (`cargo xtask bench-one`), each
//! reporting medians of several runs. One times each stage alone: parse (text → `openapiv3`
//! types, our loader, which reads path items on every core), then on one thread model, emit
//! (syntax trees), print (prettyplease) and write (files to a scratch folder); `floor_s` is the
//! plainest parse, straight from text into `openapiv3` types with serde on one thread, the
//! issue's yardstick. The other runs the pipeline as the
//! command line does (emit and print interleaved on every core) for `total_s` and its peak
//! memory (`VmHWM`), which is then the pipeline's own.

use generator::krate::{self, File};
use generator::{emit, load, model, print};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The specs measured: the large public ones the issues name, then our own.
const PUBLIC: &[&str] = &["microsoft.com/graph.json", "github.com/api.github.com.json", "stripe.com.json"];

pub fn run(root: &Path, json_output: bool) -> Result<(), String> {
    let directory = crate::corpus::install_directory(root)?;
    let mut specs: Vec<PathBuf> = PUBLIC.iter().map(|spec| directory.join(spec)).collect();
    specs.extend(crate::spec_files(root)?);
    // Each spec is measured by an optimised xtask, in child processes.
    let program = crate::build_release(root, "xtask", "xtask")?;
    let peer = crate::openapi_generator::version();
    if let Err(reason) = &peer {
        eprintln!("openapi-generator comparison skipped: {reason}");
    }
    if !json_output {
        println!(
            "{:<34} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}",
            "spec",
            "floor_s",
            "parse_s",
            "model_s",
            "emit_s",
            "print_s",
            "write_s",
            "stages_s",
            "total_s",
            "peak_MB",
            "lines"
        );
    }
    for spec in specs {
        let name: PathBuf = spec.components().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
        let mut result = json!({ "spec": name.display().to_string() });
        for stages in [true, false] {
            let mut command = Command::new(&program);
            command.arg("bench-one").arg(&spec);
            if stages {
                command.arg("--stages");
            }
            let output = command.output().map_err(|error| format!("cannot run xtask: {error}"))?;
            if !output.status.success() {
                return Err(format!(
                    "{} failed: {}",
                    spec.display(),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
            let part: Value = serde_json::from_slice(&output.stdout).map_err(|error| error.to_string())?;
            if let (Some(result), Some(part)) = (result.as_object_mut(), part.as_object()) {
                result.extend(part.clone());
            }
        }
        let relative = spec.strip_prefix(&directory).unwrap_or(&spec);
        let peer_result = match &peer {
            Ok(version) if crate::openapi_generator::SPECS.iter().any(|name| relative == Path::new(name)) => {
                let scratch =
                    std::env::temp_dir().join(format!("xtask-openapi-generator-{}", std::process::id()));
                let mut measured = crate::openapi_generator::measure(&spec, &scratch, 3)?;
                measured["version"] = json!(version);
                Some(measured)
            }
            _ => None,
        };
        if let Some(measured) = &peer_result {
            result["openapi_generator"] = measured.clone();
        }
        if json_output {
            println!("{result}");
            continue;
        }
        let seconds = |key: &str| result[key].as_f64().unwrap_or_default();
        println!(
            "{:<34} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.0} {:>9}",
            result["spec"].as_str().unwrap_or_default(),
            seconds("floor_s"),
            seconds("parse_s"),
            seconds("model_s"),
            seconds("emit_s"),
            seconds("print_s"),
            seconds("write_s"),
            seconds("stages_sum_s"),
            seconds("total_s"),
            seconds("peak_rss_mb"),
            result["lines_generated"]
        );
        if let Some(theirs) = &peer_result {
            let their_s = theirs["total_s"].as_f64().unwrap_or(f64::NAN);
            println!(
                "{:<34} openapi-generator {} (rust): {:.3} s, {} MB, {} lines; ours/theirs time {:.3}",
                "",
                theirs["version"].as_str().unwrap_or_default(),
                their_s,
                theirs["peak_rss_mb"],
                theirs["lines_generated"],
                seconds("total_s") / their_s
            );
        }
    }
    Ok(())
}

/// Measures one spec and prints one JSON object: with `stages`, each stage on its own, on one
/// thread; otherwise the whole pipeline as the command line runs it, with its peak memory.
pub fn run_one(spec: &Path, stages: bool) -> Result<(), String> {
    let runs = 5;
    let text =
        std::fs::read_to_string(spec).map_err(|error| format!("cannot read {}: {error}", spec.display()))?;
    let scratch = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    let result = if stages { stage_times(&text, &scratch, runs)? } else { pipeline(&text, &scratch, runs)? };
    let _ = std::fs::remove_dir_all(&scratch);
    println!("{result}");
    Ok(())
}

/// Each stage timed alone (median of `runs`); emit and print on one thread, the whole file
/// at once, so their shares are comparable.
fn stage_times(text: &str, scratch: &Path, runs: usize) -> Result<Value, String> {
    let mut samples: Vec<[f64; 6]> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let floor: Result<openapiv3::OpenAPI, _> = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|error| error.to_string())
        } else {
            Err("YAML".to_owned())
        };
        let floor_s = if floor.is_ok() { started.elapsed().as_secs_f64() } else { f64::NAN };
        drop(floor);

        let started = Instant::now();
        let document = load::parse(text).map_err(|error| error.to_string())?;
        let parse_s = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let api = model::build(&document).map_err(|error| error.message)?;
        let model_s = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let trees = emit::ModuleFile::of(&api)
            .into_iter()
            .map(|file| Ok((file.file_name(), file.emit(&api, 0..file.pieces(&api))?)))
            .collect::<Result<Vec<_>, String>>()?;
        let emit_s = started.elapsed().as_secs_f64();

        let started = Instant::now();
        let files: Vec<File> = trees
            .iter()
            .map(|(name, tree)| File {
                path: PathBuf::from("src/api").join(name),
                contents: print::print(tree, &[]),
            })
            .collect();
        let print_s = started.elapsed().as_secs_f64();

        let started = Instant::now();
        krate::write(scratch, &files).map_err(|error| format!("cannot write: {error}"))?;
        let write_s = started.elapsed().as_secs_f64();
        samples.push([floor_s, parse_s, model_s, emit_s, print_s, write_s]);
    }
    let median = |index: usize| median(samples.iter().map(|sample| sample[index]).collect());
    let floor = median(0);
    Ok(json!({
        "floor_s": if floor.is_nan() { Value::Null } else { json!(round(floor)) },
        "parse_s": round(median(1)),
        "model_s": round(median(2)),
        "emit_s": round(median(3)),
        "print_s": round(median(4)),
        "write_s": round(median(5)),
        "stages_sum_s": round((1..6).map(median).sum()),
    }))
}

/// The command line's path from text to written files (median of `runs`), emit and print
/// interleaved on every core.
fn pipeline(text: &str, scratch: &Path, runs: usize) -> Result<Value, String> {
    let mut totals = Vec::with_capacity(runs);
    let mut lines = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let document = load::parse(text).map_err(|error| error.to_string())?;
        let api = model::build(&document).map_err(|error| error.message)?;
        let files: Vec<File> = krate::module_sources(&api, &[])?
            .into_iter()
            .map(|(name, contents)| File { path: PathBuf::from("src/api").join(name), contents })
            .collect();
        krate::write(scratch, &files).map_err(|error| format!("cannot write: {error}"))?;
        totals.push(started.elapsed().as_secs_f64());
        lines = files.iter().map(|file| file.contents.lines().count()).sum();
    }
    Ok(json!({
        "runs": runs,
        "threads": std::thread::available_parallelism().map_or(1, usize::from),
        "total_s": round(median(totals)),
        "peak_rss_mb": peak_rss_mb(),
        "lines_generated": lines,
    }))
}

/// The middle value of timed runs (the upper middle of an even number).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Seconds to the millisecond, as reported.
pub fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// This process's peak resident memory, from `/proc/self/status`.
fn peak_rss_mb() -> Value {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(Value::Null, |kilobytes| json!((kilobytes / 1024.0).round()))
}

/// Ours and progenitor side by side on every spec of `list` both can generate: total time
/// (parse to printed source, median of 3 runs) and generated lines per operation.
#[cfg(feature = "progenitor")]
pub fn compare(root: &Path, list: &Path) -> Result<(), String> {
    let directory = crate::corpus::install_directory(root)?;
    let specs = crate::corpus::read_list(list)?;
    // progenitor panics on many specs; those count as "cannot generate", quietly.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rows = Vec::new();
    for spec in &specs {
        let text = std::fs::read_to_string(directory.join(spec)).map_err(|error| error.to_string())?;
        let Some((theirs_s, theirs_lines, operations)) = progenitor_run(&text) else { continue };
        let Some((ours_s, ours_lines)) = ours_run(&text) else { continue };
        let ratio = ours_s / theirs_s;
        println!(
            "{spec:<60} ours {ours_s:>7.3} s  progenitor {theirs_s:>7.3} s  ratio {ratio:>5.2}  lines/op {:>6.0} vs {:>6.0}",
            ours_lines as f64 / operations.max(1) as f64,
            theirs_lines as f64 / operations.max(1) as f64
        );
        rows.push((ratio, ours_lines as f64 / theirs_lines.max(1) as f64));
    }
    let _ = std::panic::take_hook();
    let both = rows.len();
    let faster = rows.iter().filter(|(ratio, _)| *ratio < 1.0).count();
    let smaller = rows.iter().filter(|(_, lines)| *lines <= 1.0).count();
    let mut ratios: Vec<f64> = rows.iter().map(|(ratio, _)| *ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    println!(
        "\n{both} of {} specs generated by both; ours faster on {faster}, no larger on {smaller}; median time ratio ours/progenitor {median:.2}",
        specs.len()
    );
    Ok(())
}

#[cfg(feature = "progenitor")]
fn median_of_three(mut run: impl FnMut() -> Option<usize>) -> Option<(f64, usize)> {
    let mut times = Vec::with_capacity(3);
    let mut lines = 0;
    for _ in 0..3 {
        let started = Instant::now();
        lines = run()?;
        times.push(started.elapsed().as_secs_f64());
    }
    Some((median(times), lines))
}

#[cfg(feature = "progenitor")]
fn progenitor_run(text: &str) -> Option<(f64, usize, usize)> {
    let spec: openapiv3::OpenAPI = serde_json::from_str(text).ok()?;
    let operations = spec.operations().count();
    let (seconds, lines) = median_of_three(|| {
        std::panic::catch_unwind(|| {
            let spec: openapiv3::OpenAPI = serde_json::from_str(text).ok()?;
            let mut generator =
                progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
            let tokens = generator.generate_tokens(&spec).ok()?;
            let file = syn::parse2::<syn::File>(tokens).ok()?;
            Some(prettyplease::unparse(&file).lines().count())
        })
        .ok()
        .flatten()
    })?;
    Some((seconds, lines, operations))
}

#[cfg(feature = "progenitor")]
fn ours_run(text: &str) -> Option<(f64, usize)> {
    median_of_three(|| {
        let document = load::parse(text).ok()?;
        let api = model::build(&document).ok()?;
        let sources = krate::module_sources(&api, &[]).ok()?;
        Some(sources.iter().map(|(_, source)| source.lines().count()).sum())
    })
}
