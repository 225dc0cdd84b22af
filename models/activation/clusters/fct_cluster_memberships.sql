-- One row per clustered person: their behavioural cluster and where they sit on the 2-D PCA
-- plot of the clusters.
with

clustered as (
    select * from {{ ref('int_persons_clustered') }}
),

final as (
    select
        person_id,
        as_of_date,
        cluster_id,
        cluster_name,
        distance_to_centroid,
        pca_x,
        pca_y
    from clustered
)

select * from final
