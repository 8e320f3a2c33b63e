//! The bone matrix: osteoid laid down by osteoblasts mineralises over weeks; matrix stores
//! latent TGF-β that osteoclasts release and activate as they resorb; and mineralised
//! matrix hinders diffusion.

use crate::params::parameter_group;

parameter_group! {
    /// Bone matrix.
    pub struct BoneParams {
        /// Relative diffusivity of fully filled matrix. Mineralised bone leaves proteins
        /// only the lacuno-canalicular porosity (a few %); in a 2D section the marrow
        /// spaces also connect out of the plane. 0.1 stands for both.
        permeability: 0.1, range 0.001 => 1.0;
        /// Days for new osteoid to mineralise fully (mineralisation lag time of about
        /// 15–20 days in adult human bone; Parfitt 1983).
        mineralisation_days: 18.0, range 0.1 => 1000.0;
        /// Latent TGF-β released and activated when one site of bone is resorbed,
        /// molecules. Bone holds about 200–400 ng TGF-β per g (Seyedin et al. 1985): ~2 ng
        /// in a 10 µm cube of 2 mg/mm³ bone is about 20 000 dimers (25 kDa).
        tgfb_molecules_per_site: 20000.0, range 0.0 => 1e9;
        /// Hours between updates of the transport geometry the fields see. Bone changes by
        /// a few sites a day at a remodeling site, so a daily update is ample.
        transport_refresh_hours: 48.0, range 1.0 => 8760.0;
    }
}
