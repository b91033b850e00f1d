//! Properties of the assessment methods that must hold for any input.

use atomplan::assess::mcda::ahp::{
    evaluate, pairwise_priorities, AhpChildren, AhpNode, RandomIndexTable, Synthesis,
};
use atomplan::assess::mcda::{
    score, Direction, Method, Normalization, PreferenceFunction, Problem,
};
use atomplan::assess::rank_descending;
use atomplan::assess::security::{hhi, shannon};
use proptest::prelude::*;

/// A random problem: 2–6 alternatives, 1–5 criteria, values in [1, 100], weights in [0.05, 1].
fn problem_strategy() -> impl Strategy<Value = Problem> {
    (2_usize..=6, 1_usize..=5).prop_flat_map(|(n_alternatives, n_criteria)| {
        (
            prop::collection::vec(
                prop::collection::vec(1.0_f64..100.0, n_criteria),
                n_alternatives,
            ),
            prop::collection::vec(0.05_f64..1.0, n_criteria),
            prop::collection::vec(any::<bool>(), n_criteria),
        )
            .prop_map(|(matrix, weights, benefit)| Problem {
                matrix,
                weights,
                directions: benefit
                    .into_iter()
                    .map(|b| if b { Direction::Max } else { Direction::Min })
                    .collect(),
            })
    })
}

fn methods(n_criteria: usize) -> Vec<Method> {
    vec![
        Method::WeightedSum(Normalization::LinearMax),
        Method::WeightedSum(Normalization::Vector),
        Method::WeightedSum(Normalization::MinMax),
        Method::Topsis(Normalization::Vector),
        Method::Topsis(Normalization::MinMax),
        Method::Promethee2(vec![PreferenceFunction::Usual; n_criteria]),
        Method::Promethee2(vec![
            PreferenceFunction::Linear { q: 1.0, p: 20.0 };
            n_criteria
        ]),
        Method::Promethee2(vec![PreferenceFunction::Gaussian { s: 10.0 }; n_criteria]),
    ]
}

/// A row strictly worse than `row` on every criterion.
fn dominated(row: &[f64], directions: &[Direction], margin: f64) -> Vec<f64> {
    row.iter()
        .zip(directions)
        .map(|(value, direction)| match direction {
            Direction::Max => value * (1.0 - margin),
            Direction::Min => value * (1.0 + margin),
        })
        .collect()
}

/// AHP with each criterion rated from the matrix and consistent criteria judgments.
fn ahp_scores(problem: &Problem, alternatives: &[String]) -> Vec<f64> {
    let weights = &problem.weights;
    let goal = AhpNode {
        name: "goal".to_owned(),
        pairwise: weights
            .iter()
            .map(|wi| weights.iter().map(|wj| wi / wj).collect())
            .collect(),
        children: AhpChildren::Criteria(
            problem
                .directions
                .iter()
                .enumerate()
                .map(|(criterion_idx, direction)| AhpNode {
                    name: format!("c{criterion_idx}"),
                    pairwise: Vec::new(),
                    children: AhpChildren::Ratings {
                        values: problem
                            .matrix
                            .iter()
                            .map(|row| row[criterion_idx])
                            .collect(),
                        direction: *direction,
                    },
                })
                .collect(),
        ),
    };
    evaluate(
        &goal,
        alternatives,
        RandomIndexTable::Saaty1980,
        Synthesis::Distributive,
    )
    .unwrap()
    .scores
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn dominated_alternative_never_ranks_first(problem in problem_strategy(), margin in 0.01_f64..0.5) {
        let mut problem = problem;
        // Put the dominated copy of alternative 0 first, where a tie would rank it first.
        let worse = dominated(&problem.matrix[0], &problem.directions, margin);
        problem.matrix.insert(0, worse);
        for method in methods(problem.weights.len()) {
            let scores = score(&problem, &method).unwrap();
            // An indifference threshold q may make a slightly dominated alternative tie with its
            // dominator (PROMETHEE's design); it must still never score above it.
            let has_indifference = matches!(&method, Method::Promethee2(functions) if functions.iter().any(|f| matches!(f, PreferenceFunction::Linear { .. })));
            if has_indifference {
                prop_assert!(scores[0] <= scores[1] + 1e-12, "{:?}: {:?}", method, scores);
            } else {
                prop_assert_ne!(rank_descending(&scores)[0], 0, "{:?}: {:?}", method, scores);
                prop_assert!(scores[0] < scores[1], "{:?}: {:?}", method, scores);
            }
        }
        let names: Vec<String> = (0..problem.matrix.len()).map(|idx| format!("a{idx}")).collect();
        let scores = ahp_scores(&problem, &names);
        prop_assert_ne!(rank_descending(&scores)[0], 0);
    }

    #[test]
    fn equal_alternatives_tie(problem in problem_strategy(), copy_of in 0_usize..6) {
        let mut problem = problem;
        let source = copy_of % problem.matrix.len();
        let row = problem.matrix[source].clone();
        problem.matrix.push(row);
        let last = problem.matrix.len() - 1;
        for method in methods(problem.weights.len()) {
            match score(&problem, &method) {
                Ok(scores) => prop_assert!((scores[source] - scores[last]).abs() < 1e-12, "{:?}: {:?}", method, scores),
                // TOPSIS is undefined only if every alternative is identical.
                Err(error) => prop_assert!(problem.matrix.iter().all(|r| r == &problem.matrix[0]), "{}", error),
            }
        }
        let names: Vec<String> = (0..problem.matrix.len()).map(|idx| format!("a{idx}")).collect();
        let scores = ahp_scores(&problem, &names);
        prop_assert!((scores[source] - scores[last]).abs() < 1e-12);
    }

    #[test]
    fn promethee_net_flows_sum_to_zero(problem in problem_strategy()) {
        let method = Method::Promethee2(vec![PreferenceFunction::VShape { p: 30.0 }; problem.weights.len()]);
        let scores = score(&problem, &method).unwrap();
        prop_assert!(scores.iter().sum::<f64>().abs() < 1e-9);
    }

    #[test]
    fn scaling_weights_changes_nothing(problem in problem_strategy(), factor in 0.1_f64..10.0) {
        let scaled = problem.with_weights(problem.weights.iter().map(|w| w * factor).collect());
        for method in methods(problem.weights.len()) {
            let (Ok(a), Ok(b)) = (score(&problem, &method), score(&scaled, &method)) else { continue };
            for (x, y) in a.iter().zip(&b) {
                prop_assert!((x - y).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn consistent_pairwise_matrix_returns_its_weights(weights in prop::collection::vec(0.05_f64..1.0, 1..10)) {
        let sum: f64 = weights.iter().sum();
        let weights: Vec<f64> = weights.iter().map(|w| w / sum).collect();
        let matrix: Vec<Vec<f64>> = weights.iter().map(|wi| weights.iter().map(|wj| wi / wj).collect()).collect();
        let result = pairwise_priorities(&matrix, RandomIndexTable::Saaty1980, "m").unwrap();
        for (a, b) in result.priorities.iter().zip(&weights) {
            prop_assert!((a - b).abs() < 1e-9);
        }
        prop_assert!(result.ci.abs() < 1e-9);
    }

    #[test]
    fn hhi_of_one_supplier_is_10000(value in 1e-6_f64..1e6) {
        prop_assert!((hhi(&[value]).unwrap() - 10_000.0).abs() < 1e-9);
        prop_assert!((hhi(&[value, 0.0, 0.0]).unwrap() - 10_000.0).abs() < 1e-9);
        prop_assert_eq!(shannon(&[value]).unwrap(), 0.0);
    }

    #[test]
    fn hhi_is_between_even_and_monopoly(values in prop::collection::vec(0.0_f64..100.0, 1..20)) {
        prop_assume!(values.iter().sum::<f64>() > 0.0);
        let index = hhi(&values).unwrap();
        #[allow(clippy::cast_precision_loss)]
        let even = 10_000.0 / values.len() as f64;
        prop_assert!(index >= even - 1e-6 && index <= 10_000.0 + 1e-6);
    }
}

/// Adding an alternative that is worst on every criterion reverses two others under TOPSIS:
/// A (7, 1), B (3, 2), C (8, 1), both benefit, equal weights rank C > B > A (0.5258, 0.4742,
/// 0.4641); with D (3, 1) added they rank C > A > B (0.5361, 0.4739, 0.4639).
#[test]
fn topsis_rank_reversal_by_a_dominated_alternative() {
    use atomplan::assess::mcda::sensitivity::{dominated_alternative, rank_reversal};
    let problem = Problem {
        matrix: vec![vec![7.0, 1.0], vec![3.0, 2.0], vec![8.0, 1.0]],
        weights: vec![0.5, 0.5],
        directions: vec![Direction::Max, Direction::Max],
    };
    let method = Method::Topsis(Normalization::Vector);
    let scores = score(&problem, &method).unwrap();
    assert_eq!(rank_descending(&scores), vec![2, 1, 0]);
    let dominated = dominated_alternative(&problem);
    assert_eq!(dominated, vec![3.0, 1.0]);
    let reversals = rank_reversal(&problem, &method, Some(&dominated)).unwrap();
    let added = reversals
        .iter()
        .find(|reversal| reversal.change == "add")
        .unwrap();
    assert_eq!(added.reversed_pairs, vec![(1, 0)]);
    // The weighted sum with linear-max normalisation does not depend on a dominated row.
    let wsm = Method::WeightedSum(Normalization::LinearMax);
    let reversals = rank_reversal(&problem, &wsm, Some(&dominated)).unwrap();
    assert!(reversals.iter().all(|reversal| reversal.change != "add"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// No input text makes the case parser or the run panic.
    #[test]
    fn any_case_text_is_handled(text in "\\PC{0,400}") {
        if let Ok(case) = atomplan::assess::case::mcda::parse_case(&text) {
            let _ = atomplan::assess::case::mcda::run_case(&case);
        }
    }

    /// Structurally plausible cases with arbitrary numbers never panic either.
    #[test]
    fn plausible_cases_with_any_numbers_are_handled(
        method in prop::sample::select(vec!["wsm", "topsis", "promethee2", "ahp", "x"]),
        values in prop::collection::vec(prop::num::f64::ANY, 4),
        weights in prop::collection::vec(prop::num::f64::ANY, 2),
        preference in prop::sample::select(vec!["usual", "u-shape", "v-shape", "level", "linear", "gaussian", "?"]),
        pairwise in prop::collection::vec(-10.0_f64..10.0, 4),
    ) {
        let number = |value: f64| if value.is_finite() { format!("{value:?}") } else { "nan".to_owned() };
        let text = format!(
            "method = \"{method}\"\nalternatives = [\"A\", \"B\"]\nmatrix = [[{}, {}], [{}, {}]]\n\
             [[criteria]]\nname = \"c1\"\nweight = {}\ndirection = \"max\"\npreference = \"{preference}\"\nq = 1\np = 2\ns = 1\n\
             [[criteria]]\nname = \"c2\"\nweight = {}\ndirection = \"min\"\n\
             [ahp]\ncriteria_pairwise = [[1, {}], [{}, 1]]\n[ahp.alternatives_pairwise]\nc1 = [[1, {}], [{}, 1]]\n",
            number(values[0]), number(values[1]), number(values[2]), number(values[3]),
            number(weights[0]), number(weights[1]),
            number(pairwise[0]), number(pairwise[1]), number(pairwise[2]), number(pairwise[3]),
        );
        if let Ok(case) = atomplan::assess::case::mcda::parse_case(&text) {
            if let Ok(report) = atomplan::assess::case::mcda::run_case(&case) {
                // Whatever comes out serialises (NaN would become null, never the text NaN).
                let json = serde_json::to_string(&report).unwrap();
                prop_assert!(!json.contains("NaN"));
            }
        }
    }
}
