-- One row per clustered person: their behavioural cluster and where they sit on the 2-D PCA
-- plot of the clusters. Only persons dim_persons still has: between two fits (the hourly
-- refreshes keep the nightly one), a person merged into another or erased since is left out.
with

clustered as (
    select * from {{ ref('int_persons_clustered') }}
),

persons as (
    select * from {{ ref('dim_persons') }}
),

final as (
    select
        clustered.person_id,
        clustered.as_of_date,
        clustered.cluster_id,
        clustered.cluster_name,
        clustered.distance_to_centroid,
        clustered.pca_x,
        clustered.pca_y
    from clustered
    inner join persons on clustered.person_id = persons.person_id
)

select * from final
