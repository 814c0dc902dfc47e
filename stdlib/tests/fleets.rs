//! The region lists of std/aws, std/gcp and std/azure: counts, tiers and a
//! few facts per cloud that a typo would break.

mod common;

use std::collections::BTreeSet;

use common::{fleet, import, region_names};
use sluice_compiler::model::{Fleet, Traffic};

fn cells<'a>(fleet: &'a Fleet, region: &str) -> Vec<&'a str> {
    fleet
        .region(region)
        .unwrap_or_else(|| panic!("no region `{region}` in `{}`", fleet.name.text))
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect()
}

fn traffic(fleet: &Fleet, region: &str) -> Traffic {
    fleet.region(region).unwrap().traffic
}

fn count(fleet: &Fleet, tier: Traffic) -> usize {
    fleet.regions.iter().filter(|r| r.traffic == tier).count()
}

fn cell_count(fleet: &Fleet) -> usize {
    fleet.regions.iter().map(|r| r.cells.len()).sum()
}

/// The smaller fleet is the bigger one's regions, cells and tiers.
fn assert_subset(small: &Fleet, big: &Fleet) {
    for region in &small.regions {
        let twin = big.region(&region.name.text).unwrap();
        assert_eq!(region.traffic, twin.traffic, "{}", region.name.text);
        let a: Vec<_> = region.cells.iter().map(|c| &c.text).collect();
        let b: Vec<_> = twin.cells.iter().map(|c| &c.text).collect();
        assert_eq!(a, b, "{}", region.name.text);
    }
}

/// No region twice, no cell twice.
fn assert_unique(fleet: &Fleet) {
    let regions: BTreeSet<_> = region_names(fleet).into_iter().collect();
    assert_eq!(regions.len(), fleet.regions.len(), "{}", fleet.name.text);
    let cells: BTreeSet<_> = fleet
        .regions
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| &c.text)
        .collect();
    assert_eq!(cells.len(), cell_count(fleet), "{}", fleet.name.text);
}

#[test]
fn aws() {
    let compilation = import("aws");
    let all = fleet(&compilation, "aws-commercial");
    let us = fleet(&compilation, "aws-us");
    assert_unique(all);
    assert_eq!(all.regions.len(), 34);
    assert_eq!(cell_count(all), 107);
    assert_eq!(
        [
            count(all, Traffic::High),
            count(all, Traffic::Medium),
            count(all, Traffic::Low)
        ],
        [6, 13, 15]
    );
    for newer in [
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    ] {
        assert!(all.region(newer).is_some(), "{newer}");
    }
    for other_partition in [
        "us-gov-west-1",
        "us-gov-east-1",
        "cn-north-1",
        "cn-northwest-1",
    ] {
        assert!(all.region(other_partition).is_none(), "{other_partition}");
    }
    assert_eq!(cells(all, "us-east-1").len(), 6);
    assert_eq!(cells(all, "us-west-1"), ["usw1-az1", "usw1-az3"]);
    assert_eq!(
        cells(all, "ap-northeast-1"),
        ["apne1-az1", "apne1-az2", "apne1-az4"]
    );
    assert_eq!(
        cells(all, "ca-central-1"),
        ["cac1-az1", "cac1-az2", "cac1-az4"]
    );
    assert_eq!(
        cells(all, "eu-west-2"),
        ["euw2-az1", "euw2-az2", "euw2-az3", "euw2-az4"]
    );
    assert_eq!(
        cells(all, "il-central-1"),
        ["ilc1-az1", "ilc1-az2", "ilc1-az3"]
    );
    assert_eq!(traffic(all, "us-east-1"), Traffic::High);
    assert_eq!(traffic(all, "us-west-1"), Traffic::Low);
    assert_eq!(traffic(all, "mx-central-1"), Traffic::Low);
    assert_eq!(
        region_names(us),
        ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]
    );
    assert_subset(us, all);
}

#[test]
fn gcp() {
    let compilation = import("gcp");
    let all = fleet(&compilation, "gcp-commercial");
    let us = fleet(&compilation, "gcp-us");
    assert_unique(all);
    assert_eq!(all.regions.len(), 42);
    assert_eq!(cell_count(all), 127);
    assert_eq!(
        [
            count(all, Traffic::High),
            count(all, Traffic::Medium),
            count(all, Traffic::Low)
        ],
        [8, 21, 13]
    );
    assert_eq!(
        cells(all, "us-central1"),
        [
            "us-central1-a",
            "us-central1-b",
            "us-central1-c",
            "us-central1-f"
        ]
    );
    assert_eq!(
        cells(all, "us-east1"),
        ["us-east1-b", "us-east1-c", "us-east1-d"]
    );
    assert_eq!(
        cells(all, "europe-west1"),
        ["europe-west1-b", "europe-west1-c", "europe-west1-d"]
    );
    for region in [
        "africa-south1",
        "europe-north2",
        "me-central2",
        "northamerica-south1",
    ] {
        assert_eq!(traffic(all, region), Traffic::Low, "{region}");
    }
    for region in &all.regions {
        for cell in &region.cells {
            assert!(
                cell.text.starts_with(&format!("{}-", region.name.text)),
                "{}",
                cell.text
            );
        }
    }
    assert_eq!(us.regions.len(), 9);
    assert!(region_names(us).iter().all(|r| r.starts_with("us-")));
    assert_subset(us, all);
}

#[test]
fn azure() {
    let compilation = import("azure");
    let all = fleet(&compilation, "azure-commercial");
    let us = fleet(&compilation, "azure-us");
    assert_unique(all);
    assert_eq!(all.regions.len(), 45);
    let zoned = all.regions.iter().filter(|r| !r.cells.is_empty()).count();
    assert_eq!(zoned, 37);
    assert_eq!(cell_count(all), 3 * 37);
    assert_eq!(
        [
            count(all, Traffic::High),
            count(all, Traffic::Medium),
            count(all, Traffic::Low)
        ],
        [7, 20, 18]
    );
    assert_eq!(
        cells(all, "eastus"),
        ["eastus-az1", "eastus-az2", "eastus-az3"]
    );
    for without_zones in [
        "westus",
        "northcentralus",
        "westcentralus",
        "ukwest",
        "southindia",
    ] {
        assert!(cells(all, without_zones).is_empty(), "{without_zones}");
    }
    for restricted in [
        "australiacentral",
        "koreasouth",
        "francesouth",
        "germanynorth",
    ] {
        assert!(all.region(restricted).is_none(), "{restricted}");
    }
    assert_eq!(traffic(all, "newzealandnorth"), Traffic::Low);
    assert_eq!(us.regions.len(), 9);
    assert_subset(us, all);
}
