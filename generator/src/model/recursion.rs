//! Making recursive types finite.
//!
//! A struct that contains itself (directly or through other structs, unions or aliases, but not
//! through a `Vec` or a map, which already allocate) has infinite size; the fields that close
//! such a cycle are boxed. A type alias that refers back to itself is rejected by rustc at any
//! depth, so such aliases become transparent newtypes. Aliases that are nothing but `$ref`s to
//! each other (`A: {$ref: B}`, `B: {$ref: A}`) describe no value at all: as newtypes no value
//! could be built and decoding would recurse without end, so they accept any JSON instead.

use super::{Type, TypeDef, TypeId, TypeKind};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// Rewrites cyclic aliases as newtypes, then marks the fields that need a `Box`.
pub fn break_cycles(types: &mut [TypeDef]) {
    open_pure_reference_cycles(types);
    newtype_cyclic_aliases(types);
    box_direct_cycles(types);
}

/// The named types inside `ty`, through arrays and maps.
pub(super) fn named_anywhere(ty: &Type, out: &mut Vec<TypeId>) {
    match ty {
        Type::Named(id) => out.push(*id),
        Type::Array(inner) | Type::Map(inner) => named_anywhere(inner, out),
        _ => {}
    }
}

fn direct(ty: &Type) -> Option<TypeId> {
    match ty {
        Type::Named(id) => Some(*id),
        _ => None,
    }
}

/// The cycles of aliases each of which is exactly another alias of the cycle, in document order.
fn pure_reference_cycles(types: &[TypeDef]) -> Vec<Vec<usize>> {
    let mut graph = DiGraph::<(), ()>::with_capacity(types.len(), 0);
    for _ in types.iter() {
        graph.add_node(());
    }
    for (index, def) in types.iter().enumerate() {
        if let TypeKind::Alias(Type::Named(target)) = &def.kind
            && matches!(types[target.0].kind, TypeKind::Alias(Type::Named(_)))
        {
            graph.add_edge(NodeIndex::new(index), NodeIndex::new(target.0), ());
        }
    }
    let mut cycles: Vec<Vec<usize>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1 || graph.contains_edge(component[0], component[0]))
        .map(|component| {
            let mut members: Vec<usize> = component.into_iter().map(NodeIndex::index).collect();
            members.sort_unstable();
            members
        })
        .collect();
    cycles.sort();
    cycles
}

fn open_pure_reference_cycles(types: &mut [TypeDef]) {
    for cycle in pure_reference_cycles(types) {
        let path: Vec<&str> = cycle.iter().map(|member| types[*member].pointer.as_str()).collect();
        let note = format!(
            "The spec defines this schema only by `$ref`s that lead back to it ({}), which describe no \
             value; any JSON is accepted.",
            path.join(" → ")
        );
        for member in cycle {
            let def = &mut types[member];
            def.kind = TypeKind::Alias(Type::Json);
            def.doc = Some(match def.doc.take() {
                Some(doc) => format!("{doc}\n\n{note}"),
                None => note.clone(),
            });
        }
    }
}

fn newtype_cyclic_aliases(types: &mut [TypeDef]) {
    let mut graph = DiGraph::<(), ()>::with_capacity(types.len(), 0);
    for _ in types.iter() {
        graph.add_node(());
    }
    for (index, def) in types.iter().enumerate() {
        if let TypeKind::Alias(ty) = &def.kind {
            let mut targets = Vec::new();
            named_anywhere(ty, &mut targets);
            for target in targets {
                if matches!(types[target.0].kind, TypeKind::Alias(_)) {
                    graph.add_edge(NodeIndex::new(index), NodeIndex::new(target.0), ());
                }
            }
        }
    }
    for component in tarjan_scc(&graph) {
        let cyclic = component.len() > 1 || component.iter().any(|node| graph.contains_edge(*node, *node));
        if !cyclic {
            continue;
        }
        for node in component {
            let def = &mut types[node.index()];
            if let TypeKind::Alias(ty) = &def.kind {
                def.kind = TypeKind::Newtype { inner: ty.clone(), boxed: false };
            }
        }
    }
}

fn box_direct_cycles(types: &mut [TypeDef]) {
    let mut graph = DiGraph::<(), ()>::with_capacity(types.len(), 0);
    for _ in types.iter() {
        graph.add_node(());
    }
    for (index, def) in types.iter().enumerate() {
        let from = NodeIndex::new(index);
        let mut add = |ty: &Type| {
            if let Some(target) = direct(ty) {
                graph.add_edge(from, NodeIndex::new(target.0), ());
            }
        };
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|field| add(&field.ty)),
            TypeKind::Union(u) => u.variants.iter().for_each(|variant| add(&variant.ty)),
            TypeKind::Alias(ty) | TypeKind::Newtype { inner: ty, .. } => add(ty),
            TypeKind::Enum(_) | TypeKind::External(_) => {}
        }
    }
    let mut component_of = vec![0usize; types.len()];
    for (number, component) in tarjan_scc(&graph).into_iter().enumerate() {
        for node in component {
            component_of[node.index()] = number;
        }
    }
    let same = |owner: usize, ty: &Type| direct(ty).is_some_and(|t| component_of[t.0] == component_of[owner]);
    for (index, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = same(index, &field.ty);
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = same(index, &variant.ty);
                }
            }
            TypeKind::Newtype { inner, boxed } => *boxed = same(index, inner),
            TypeKind::Alias(_) | TypeKind::Enum(_) | TypeKind::External(_) => {}
        }
    }
}
